// The VNC console: noVNC's RFB over the panel's ticketed WebSocket, with reconnects that fetch a new ticket.
import RFB from "../lib/novnc/core/rfb.js";
import { Keys, comboKeys, keystrokeOf } from "./console-keys.js";

const retryDelaysMs = [500, 1000, 2000, 4000, 8000];

export function open(screen, dotnet, options) {
    return new VncConsole(screen, dotnet, options);
}

function socketUrl(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${path}`;
}

class VncConsole {
    constructor(screen, dotnet, options) {
        this.screen = screen;
        this.dotnet = dotnet;
        this.viewOnly = !!options.viewOnly;
        this.scale = options.scale || "fit";
        this.closed = false;
        this.attempt = 0;
        this.fitToWindow();
        this.onResize = () => this.fitToWindow();
        window.addEventListener("resize", this.onResize);
        // The task strip is sticky at the window's bottom and grows when opened: the screen ends above it.
        this.strip = document.querySelector(".wv-task-panel");
        if (this.strip && window.ResizeObserver) {
            this.stripObserver = new ResizeObserver(this.onResize);
            this.stripObserver.observe(this.strip);
        }
        this.connect();
    }

    // The screen's height is what the window has below the screen's top (page scrolled to the top) and above the task
    // strip, so Fit shows the whole guest screen without scrolling and nothing runs under the strip.
    fitToWindow() {
        const top = this.screen.getBoundingClientRect().top + window.scrollY;
        const strip = this.strip ? this.strip.getBoundingClientRect().height : 0;
        const height = Math.max(240, Math.floor(window.innerHeight - top - strip - 12));
        this.screen.style.setProperty("--wv-fit-height", `${height}px`);
    }

    async connect() {
        if (this.closed) return;
        this.status("connecting", this.attempt ? `Reconnecting (attempt ${this.attempt + 1})…` : "Connecting…");
        let path;
        try {
            path = await this.dotnet.invokeMethodAsync("IssueTicketAsync");
        } catch (e) {
            path = null;
        }
        if (this.closed) return;
        if (!path) {
            this.status("disconnected", "You may not use this console (no ticket).");
            return;
        }

        const rfb = new RFB(this.screen, socketUrl(path), { shared: true });
        this.rfb = rfb;
        rfb.background = "transparent";
        this.apply();
        rfb.addEventListener("connect", () => {
            this.attempt = 0;
            this.status("connected", "Connected");
            rfb.focus();
        });
        rfb.addEventListener("desktopname", e => this.dotnet.invokeMethodAsync("OnDesktopName", e.detail.name));
        rfb.addEventListener("securityfailure", e => this.status("disconnected", `Security failure: ${e.detail.reason || e.detail.status}`));
        rfb.addEventListener("disconnect", e => {
            if (this.rfb !== rfb) return;
            this.rfb = null;
            if (this.closed) {
                this.status("disconnected", "Disconnected");
                return;
            }
            // The VM reset, stopped, or the tunnel dropped: try again with a fresh ticket, a little later each time.
            const delay = retryDelaysMs[Math.min(this.attempt, retryDelaysMs.length - 1)];
            this.attempt++;
            this.status("disconnected", e.detail.clean ? "The console closed (the VM may have stopped or reset). Reconnecting…" : "The connection dropped. Reconnecting…");
            this.timer = setTimeout(() => this.connect(), delay);
        });
    }

    status(state, text) {
        this.dotnet.invokeMethodAsync("OnStatus", state, text).catch(() => { });
    }

    apply() {
        const rfb = this.rfb;
        if (!rfb) return;
        rfb.viewOnly = this.viewOnly;
        rfb.scaleViewport = this.scale === "fit";
        rfb.resizeSession = this.scale === "remote";
        rfb.clipViewport = false;
        this.screen.classList.toggle("wv-vnc-native", this.scale === "native");
    }

    setViewOnly(on) { this.viewOnly = on; this.apply(); }

    setScale(mode) { this.scale = mode; this.apply(); }

    ctrlAltDel() { if (this.rfb && !this.viewOnly) this.rfb.sendCtrlAltDel(); this.rfb?.focus(); }

    combo(name) {
        const keys = comboKeys(name);
        if (!keys || !this.rfb || this.viewOnly) return false;
        for (const [sym, code] of keys) this.rfb.sendKey(sym, code, true);
        for (const [sym, code] of [...keys].reverse()) this.rfb.sendKey(sym, code, false);
        this.rfb.focus();
        return true;
    }

    // Types text as key presses (the clipboard of a guest without an agent is Latin-1 at best); returns what was skipped.
    paste(text) {
        if (!this.rfb || this.viewOnly) return text.length;
        let skipped = 0;
        for (const ch of text.replace(/\r\n/g, "\n")) {
            const stroke = keystrokeOf(ch);
            if (!stroke) { skipped++; continue; }
            if (stroke.shift) this.rfb.sendKey(Keys.ShiftLeft[0], Keys.ShiftLeft[1], true);
            this.rfb.sendKey(stroke.key[0], stroke.key[1], true);
            this.rfb.sendKey(stroke.key[0], stroke.key[1], false);
            if (stroke.shift) this.rfb.sendKey(Keys.ShiftLeft[0], Keys.ShiftLeft[1], false);
        }
        this.rfb.focus();
        return skipped;
    }

    fullscreen() {
        const box = this.screen.closest(".wv-console") || this.screen;
        if (document.fullscreenElement) document.exitFullscreen();
        else box.requestFullscreen?.();
    }

    screenshot(fileName) {
        if (!this.rfb) return;
        this.rfb.toBlob(blob => {
            const link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = fileName;
            link.click();
            setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        }, "image/png");
    }

    focus() { this.rfb?.focus(); }

    dispose() {
        this.closed = true;
        window.removeEventListener("resize", this.onResize);
        this.stripObserver?.disconnect();
        clearTimeout(this.timer);
        const rfb = this.rfb;
        this.rfb = null;
        rfb?.disconnect();
    }
}
