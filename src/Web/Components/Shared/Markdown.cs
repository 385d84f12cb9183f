using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace WebVirt.Web.Components.Shared;

/// <summary>
/// Renders user Markdown (VM descriptions) to HTML that is safe to show: raw HTML in the source is escaped, and
/// links or images with a scheme other than http, https or mailto (javascript:, data:, …) lose their target.
/// </summary>
internal static class Markdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    public static string ToSafeHtml(string? markdown)
    {
        var document = Markdig.Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "";
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "";
            }
        }

        return Markdig.Markdown.ToHtml(document, Pipeline);
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || url.TrimStart().StartsWith('/'))
        {
            // Relative links stay inside the panel; "//host" is absolute in disguise.
            return !url.TrimStart().StartsWith("//", StringComparison.Ordinal) && !url.Contains(':', StringComparison.Ordinal);
        }

        return uri.Scheme is "http" or "https" or "mailto";
    }
}
