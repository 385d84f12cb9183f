// The serial console: xterm.js (+ fit, attach) over the panel's ticketed WebSocket, reconnecting with new tickets.
const retryDelaysMs = [500, 1000, 2000, 4000, 8000];
let loading;

function loadScript(src) {
    return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`Could not load ${src}`));
        document.head.appendChild(script);
    });
}

// xterm.js ships UMD bundles: load them once as classic scripts.
function loadXterm() {
    if (!loading) {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = "lib/xterm/xterm.css";
        document.head.appendChild(css);
        loading = loadScript("lib/xterm/xterm.js").then(() => Promise.all([loadScript("lib/xterm/addon-fit.js"), loadScript("lib/xterm/addon-attach.js")]));
    }
    return loading;
}

function socketUrl(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${path}`;
}

export async function open(element, dotnet, options) {
    await loadXterm();
    return new SerialConsole(element, dotnet, options);
}

class SerialConsole {
    constructor(element, dotnet, options) {
        this.dotnet = dotnet;
        this.closed = false;
        this.attempt = 0;
        this.term = new window.Terminal({
            scrollback: 10000,
            cursorBlink: true,
            convertEol: false,
            fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace",
            fontSize: 14,
            theme: options.dark ? { background: "#1e1e1e" } : { background: "#ffffff", foreground: "#1f2328", cursor: "#1f2328", selectionBackground: "#b6d7ff" },
        });
        this.fit = new window.FitAddon.FitAddon();
        this.term.loadAddon(this.fit);
        this.term.open(element);
        this.fit.fit();
        this.resize = new ResizeObserver(() => { try { this.fit.fit(); } catch { } });
        this.resize.observe(element);
        this.connect();
    }

    async connect() {
        if (this.closed) return;
        this.status("connecting", this.attempt ? `Reconnecting (attempt ${this.attempt + 1})…` : "Connecting…");
        let path;
        try {
            path = await this.dotnet.invokeMethodAsync("IssueTicketAsync");
        } catch {
            path = null;
        }
        if (this.closed) return;
        if (!path) {
            this.status("disconnected", "You may not use this console (no ticket).");
            return;
        }

        const socket = new WebSocket(socketUrl(path));
        socket.binaryType = "arraybuffer";
        this.socket = socket;
        socket.onopen = () => {
            this.attempt = 0;
            // A fresh connection replays the scrollback: start from a clean screen so it is not shown twice.
            this.term.reset();
            this.attach = new window.AttachAddon.AttachAddon(socket);
            this.term.loadAddon(this.attach);
            this.status("connected", "Connected");
            this.term.focus();
        };
        socket.onclose = e => {
            this.attach?.dispose();
            this.attach = null;
            if (this.socket !== socket || this.closed) return;
            const delay = retryDelaysMs[Math.min(this.attempt, retryDelaysMs.length - 1)];
            this.attempt++;
            this.status("disconnected", `${e.reason || "The connection closed."} Reconnecting…`);
            this.timer = setTimeout(() => this.connect(), delay);
        };
    }

    status(state, text) {
        this.dotnet.invokeMethodAsync("OnStatus", state, text).catch(() => { });
    }

    copyAll() {
        this.term.selectAll();
        const text = this.term.getSelection();
        this.term.clearSelection();
        return navigator.clipboard?.writeText(text).then(() => true, () => false) ?? false;
    }

    // Sends text as typed (line ends as carriage returns, as a terminal sends Enter).
    paste(text) {
        if (this.socket?.readyState === WebSocket.OPEN) this.term.paste(text);
        this.term.focus();
    }

    focus() { this.term.focus(); }

    dispose() {
        this.closed = true;
        clearTimeout(this.timer);
        this.resize.disconnect();
        this.socket?.close();
        this.term.dispose();
    }
}
