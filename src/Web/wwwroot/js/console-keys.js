// Key codes for noVNC's sendKey(keysym, code, down). noVNC sends physical keys (QEMU extended key
// events) and the guest's layout decides the character, so a character needs its physical key and,
// for shifted characters, Shift held: this table is the US layout (QEMU's and most installers' default).
export const Keys = {
    ShiftLeft: [0xffe1, "ShiftLeft"],
    ControlLeft: [0xffe3, "ControlLeft"],
    AltLeft: [0xffe9, "AltLeft"],
    MetaLeft: [0xffeb, "MetaLeft"],
    Tab: [0xff09, "Tab"],
    Enter: [0xff0d, "Enter"],
    Escape: [0xff1b, "Escape"],
    Backspace: [0xff08, "Backspace"],
    Delete: [0xffff, "Delete"],
    SysRq: [0xff15, "PrintScreen"],
};

const unshifted = { " ": "Space", "-": "Minus", "=": "Equal", "[": "BracketLeft", "]": "BracketRight", "\\": "Backslash",
    ";": "Semicolon", "'": "Quote", ",": "Comma", ".": "Period", "/": "Slash", "`": "Backquote" };
const shifted = { "!": "Digit1", "@": "Digit2", "#": "Digit3", "$": "Digit4", "%": "Digit5", "^": "Digit6", "&": "Digit7",
    "*": "Digit8", "(": "Digit9", ")": "Digit0", "_": "Minus", "+": "Equal", "{": "BracketLeft", "}": "BracketRight",
    "|": "Backslash", ":": "Semicolon", "\"": "Quote", "<": "Comma", ">": "Period", "?": "Slash", "~": "Backquote" };

export function functionKey(n) {
    return [0xffbe + n - 1, `F${n}`];
}

// The key presses that type one character on a US layout, or null when it has no key there.
export function keystrokeOf(ch) {
    if (ch === "\n" || ch === "\r") return { key: Keys.Enter, shift: false };
    if (ch === "\t") return { key: Keys.Tab, shift: false };
    const cp = ch.codePointAt(0);
    if (ch >= "a" && ch <= "z") return { key: [cp, `Key${ch.toUpperCase()}`], shift: false };
    if (ch >= "A" && ch <= "Z") return { key: [cp, `Key${ch}`], shift: true };
    if (ch >= "0" && ch <= "9") return { key: [cp, `Digit${ch}`], shift: false };
    if (unshifted[ch]) return { key: [cp, unshifted[ch]], shift: false };
    if (shifted[ch]) return { key: [cp, shifted[ch]], shift: true };
    return null;
}

// Named key combinations for the toolbar menu: keys pressed in order, released in reverse.
export function comboKeys(name) {
    const f = /^ctrl-alt-f(\d+)$/.exec(name);
    if (f) return [Keys.ControlLeft, Keys.AltLeft, functionKey(Number(f[1]))];
    switch (name) {
        case "alt-tab": return [Keys.AltLeft, Keys.Tab];
        case "ctrl-alt-backspace": return [Keys.ControlLeft, Keys.AltLeft, Keys.Backspace];
        case "ctrl-esc": return [Keys.ControlLeft, Keys.Escape];
        case "super": return [Keys.MetaLeft];
        case "alt-sysrq": return [Keys.AltLeft, Keys.SysRq];
        default: {
            // alt-sysrq-<letter>: the magic SysRq keys (s = sync, u = remount read-only, b = reboot …).
            const s = /^alt-sysrq-([a-z])$/.exec(name);
            if (s) return [Keys.AltLeft, Keys.SysRq, [s[1].codePointAt(0), `Key${s[1].toUpperCase()}`]];
            return null;
        }
    }
}
