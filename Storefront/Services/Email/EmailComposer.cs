using System.Text;
using EcomGo.Storefront.Components.Shared;
using static System.Net.WebUtility;

namespace EcomGo.Storefront.Services.Email;

/// <summary>One product in an email: the shop's own summary (price as the shop shows it), why it is there, the tracked link.</summary>
public sealed record EmailItem(ProductSummary Product, string? Reason, string Url);

public sealed record EmailSection(string Title, IReadOnlyList<EmailItem> Items);

public sealed record ComposedEmail(string Subject, string Html, string Text);

/// <summary>
/// Renders an email as HTML (table layout and inline styles, which is what mail clients render reliably; pictures as
/// <c>cid:</c> parts, so there is nothing external to block) and as a plain-text alternative with the same content.
/// </summary>
public static class EmailComposer
{
    public static string ImageContentId(int productId) => $"product-{productId}@ecomgo.local";

    public static ComposedEmail Compose(string subject, string greetingName, string intro, IReadOnlyList<EmailSection> sections,
        string shopUrl, string settingsUrl, string unsubscribeUrl)
    {
        var html = new StringBuilder(8192);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(HtmlEncode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f1f5f9;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#0f172a\">")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f1f5f9\"><tr><td align=\"center\" style=\"padding:24px 12px\">")
            .Append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;width:100%;background:#ffffff;border-radius:12px\">")
            .Append("<tr><td style=\"padding:24px 28px 8px\"><a href=\"").Append(HtmlEncode(shopUrl))
            .Append("\" style=\"font-size:22px;font-weight:700;color:#2563eb;text-decoration:none\">EcomGo</a></td></tr>")
            .Append("<tr><td style=\"padding:8px 28px 0\"><h1 style=\"font-size:22px;margin:0 0 8px\">").Append(HtmlEncode(subject)).Append("</h1>")
            .Append("<p style=\"margin:0 0 8px;font-size:15px;line-height:1.5\">Hi ").Append(HtmlEncode(greetingName)).Append(",</p>")
            .Append("<p style=\"margin:0 0 8px;font-size:15px;line-height:1.5\">").Append(HtmlEncode(intro)).Append("</p></td></tr>");

        var text = new StringBuilder(2048);
        text.Append(subject).Append("\r\n\r\nHi ").Append(greetingName).Append(",\r\n\r\n").Append(intro).Append("\r\n");

        foreach (var section in sections.Where(s => s.Items.Count > 0))
        {
            html.Append("<tr><td style=\"padding:16px 28px 4px\"><h2 style=\"font-size:17px;margin:0\">").Append(HtmlEncode(section.Title)).Append("</h2></td></tr>");
            text.Append("\r\n").Append(section.Title).Append("\r\n").Append(new string('-', section.Title.Length)).Append("\r\n");
            foreach (var item in section.Items)
            {
                AppendItem(html, text, item);
            }
        }

        html.Append("<tr><td style=\"padding:20px 28px 28px;font-size:12px;line-height:1.5;color:#64748b\">")
            .Append("You get these emails because you opted in to recommendations from EcomGo. ")
            .Append("<a href=\"").Append(HtmlEncode(settingsUrl)).Append("\" style=\"color:#64748b\">Email settings</a> · ")
            .Append("<a href=\"").Append(HtmlEncode(unsubscribeUrl)).Append("\" style=\"color:#64748b\" data-unsubscribe>Unsubscribe</a>")
            .Append("</td></tr></table></td></tr></table></body></html>");
        text.Append("\r\nYou get these emails because you opted in to recommendations from EcomGo.\r\n")
            .Append("Email settings: ").Append(settingsUrl).Append("\r\nUnsubscribe: ").Append(unsubscribeUrl).Append("\r\n");
        return new ComposedEmail(subject, html.ToString(), text.ToString());
    }

    private static void AppendItem(StringBuilder html, StringBuilder text, EmailItem item)
    {
        var p = item.Product;
        var url = HtmlEncode(item.Url);
        var price = Money.Format(p.Price.Price);
        html.Append("<tr><td style=\"padding:10px 28px\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>")
            .Append("<td width=\"160\" valign=\"top\"><a href=\"").Append(url).Append("\"><img src=\"cid:").Append(ImageContentId(p.Id))
            .Append("\" width=\"160\" height=\"120\" alt=\"").Append(HtmlEncode(p.Name)).Append("\" style=\"display:block;border:0;border-radius:8px\"></a></td>")
            .Append("<td valign=\"top\" style=\"padding-left:16px\">")
            .Append("<a href=\"").Append(url).Append("\" data-product-id=\"").Append(p.Id)
            .Append("\" style=\"font-size:16px;font-weight:600;color:#0f172a;text-decoration:none\">").Append(HtmlEncode(p.Name)).Append("</a>")
            .Append("<div style=\"font-size:13px;color:#64748b;margin:2px 0 6px\">").Append(HtmlEncode(p.ManufacturerName)).Append(" · ").Append(HtmlEncode(p.CategoryName)).Append("</div>")
            .Append("<div style=\"font-size:16px;font-weight:700\" data-price>");
        if (p.Price.IsDiscounted)
        {
            html.Append("<span style=\"color:#b91c1c\">").Append(HtmlEncode(price)).Append("</span> <s style=\"font-weight:400;color:#64748b\">")
                .Append(HtmlEncode(Money.Format(p.Price.ListPrice))).Append("</s>");
        }
        else
        {
            html.Append(HtmlEncode(price));
        }

        html.Append("</div>");
        if (!string.IsNullOrWhiteSpace(item.Reason))
        {
            html.Append("<div style=\"font-size:13px;color:#475569;margin-top:6px\">").Append(HtmlEncode(Capitalise(item.Reason))).Append("</div>");
        }

        html.Append("<a href=\"").Append(url).Append("\" style=\"display:inline-block;margin-top:8px;font-size:14px;color:#2563eb\">View product</a>")
            .Append("</td></tr></table></td></tr>");

        text.Append("* ").Append(p.Name).Append(" (").Append(p.ManufacturerName).Append("): ").Append(price);
        if (p.Price.IsDiscounted)
        {
            text.Append(" (was ").Append(Money.Format(p.Price.ListPrice)).Append(')');
        }

        text.Append("\r\n");
        if (!string.IsNullOrWhiteSpace(item.Reason))
        {
            text.Append("  ").Append(Capitalise(item.Reason)).Append("\r\n");
        }

        text.Append("  ").Append(item.Url).Append("\r\n");
    }

    private static string Capitalise(string reason) => reason.Length == 0 ? reason : char.ToUpperInvariant(reason[0]) + reason[1..];
}
