// The panel's small browser-side helpers. A signed-in user's light/dark choice is kept on the account; a
// visitor of a share link has none, so theirs is remembered in this browser.
window.webvirt = {
    isDarkTheme: () => localStorage.getItem("webvirt-theme") === "dark",
    setDarkTheme: (dark) => localStorage.setItem("webvirt-theme", dark ? "dark" : "light"),
};

// Buttons with data-copy put that text on the clipboard (the static account pages have no circuit to ask).
document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) {
        return;
    }

    const text = button.getAttribute("data-copy");
    const label = button.querySelector(".mud-button-label") ?? button;
    const before = label.textContent;
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        // Plain http on a LAN address is not a secure context: fall back to a hidden text area.
        const area = document.createElement("textarea");
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
    }
    label.textContent = "Copied";
    setTimeout(() => { label.textContent = before; }, 1500);
});

// "/" jumps to the top bar's search, unless the key is meant for a field or a console (xterm's textarea,
// noVNC's canvas).
document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
        return;
    }

    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "CANVAS"].includes(target.tagName))) {
        return;
    }

    const input = document.querySelector("[data-global-search] input");
    if (input) {
        event.preventDefault();
        input.focus();
    }
});
