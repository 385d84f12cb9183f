// Remembers the panel's light/dark choice in this browser.
window.webvirt = {
    isDarkTheme: () => localStorage.getItem("webvirt-theme") === "dark",
    setDarkTheme: (dark) => localStorage.setItem("webvirt-theme", dark ? "dark" : "light"),
};
