using Microsoft.Playwright;

namespace WebVirt.E2E.Tests.Consoles;

/// <summary>
/// Types into a VNC console as a person on a US keyboard would. noVNC sends physical keys and the guest's
/// layout decides the character, so Shift must really be held for '>' or 'S' (QEMU-NOTES.md).
/// </summary>
internal static class GuestKeyboard
{
    private static readonly Dictionary<char, string> Shifted = new()
    {
        ['>'] = "Period", ['<'] = "Comma", ['|'] = "Backslash", ['_'] = "Minus", ['$'] = "Digit4", ['('] = "Digit9", [')'] = "Digit0", ['*'] = "Digit8",
    };

    public static async Task TypeLineAsync(IKeyboard keyboard, string line)
    {
        foreach (var ch in line)
        {
            if (char.IsAsciiLetterUpper(ch) || Shifted.ContainsKey(ch))
            {
                await keyboard.DownAsync("Shift");
                await keyboard.PressAsync(char.IsAsciiLetterUpper(ch) ? $"Key{ch}" : Shifted[ch]);
                await keyboard.UpAsync("Shift");
            }
            else
            {
                await keyboard.TypeAsync(ch.ToString());
            }
        }

        await keyboard.PressAsync("Enter");
    }
}
