using System.Net;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace EcomGo.Storefront.Services;

/// <summary>
/// The assistant's Markdown as safe HTML: raw HTML is not interpreted (it shows as text), images are dropped, and only
/// links into the shop survive; any other link becomes its plain text. Model output is never trusted as HTML.
/// </summary>
public static class ChatMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .Build();

    public static string ToSafeHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? string.Empty, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage || !IsShopLink(link.Url))
            {
                link.ReplaceBy(new LiteralInline(link.IsImage ? "" : PlainText(link)));
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsShopLink(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>Plain text as HTML (the shopper's own messages).</summary>
    public static string Encode(string text) => "<p>" + WebUtility.HtmlEncode(text) + "</p>";

    /// <summary>Relative links within the site only: "/products/12" yes; "//evil", "http://…", "javascript:" no.</summary>
    internal static bool IsShopLink(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] != '/' && url[1] != '\\' && !url.Any(char.IsControl);

    private static string PlainText(ContainerInline container) =>
        string.Concat(container.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
}
