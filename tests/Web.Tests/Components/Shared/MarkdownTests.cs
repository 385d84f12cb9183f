using WebVirt.Web.Components.Shared;

namespace WebVirt.Web.Tests.Components.Shared;

public sealed class MarkdownTests
{
    [Fact]
    public void Markdown_IsRendered() =>
        Assert.Contains("<strong>web</strong>", Markdown.ToSafeHtml("The **web** server"), StringComparison.Ordinal);

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("hello <b onclick=\"x()\">there</b>")]
    public void RawHtml_IsEscaped(string source)
    {
        var html = Markdown.ToSafeHtml(source);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](//evil.example/x)")]
    [InlineData("![x](javascript:alert(1))")]
    public void UnsafeLinks_LoseTheirTarget(string source)
    {
        var html = Markdown.ToSafeHtml(source);

        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[docs](https://example.com/a)", "href=\"https://example.com/a\"")]
    [InlineData("[mail](mailto:ops@example.com)", "href=\"mailto:ops@example.com\"")]
    [InlineData("[vm](/vms/1)", "href=\"/vms/1\"")]
    public void SafeLinks_Stay(string source, string expected) => Assert.Contains(expected, Markdown.ToSafeHtml(source), StringComparison.Ordinal);
}
