using System.Data.Common;
using System.Text;
using EcomGo.Storefront.Apis;
using EcomGo.Storefront.Data;
using MimeKit;

namespace EcomGo.Storefront.Services.Email;

/// <summary>Where and how to reach the SMTP server: the <c>mail</c> connection string, <c>Endpoint=smtp://host:port</c> (smtps:// for TLS on connect).</summary>
public sealed record SmtpEndpoint(string Host, int Port, bool UseTls, string? UserName, string? Password)
{
    public const string ConnectionName = "mail";

    public static SmtpEndpoint? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var endpoint = builder.TryGetValue("Endpoint", out var value) ? value?.ToString() : connectionString;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException($"The '{ConnectionName}' connection string needs Endpoint=smtp://host:port (got '{endpoint}').");
        }

        var tls = uri.Scheme == "smtps";
        return new SmtpEndpoint(uri.Host, uri.IsDefaultPort ? (tls ? 465 : 25) : uri.Port, tls,
            builder.TryGetValue("Username", out var user) ? user?.ToString() : null,
            builder.TryGetValue("Password", out var password) ? password?.ToString() : null);
    }
}

/// <summary>Builds the MIME message of a queued email: text and HTML alternatives, product pictures as related cid: parts.</summary>
public static class EmailMime
{
    public static MimeMessage Build(EmailMessage email, EmailOptions options, IReadOnlyDictionary<int, ProductSummary> products)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(new MailboxAddress(email.ToName, email.ToAddress));
        message.Subject = email.Subject;
        // Stable across retries: a resend after a lost acknowledgement is recognisable as the same email.
        message.MessageId = $"{email.PublicId:N}@ecomgo.local";
        message.Date = email.CreatedAt;
        // One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" to the URL.
        message.Headers.Add("List-Unsubscribe", $"<{EmailLinks.OneClickUrl(email.UnsubscribeUrl)}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("X-EcomGo-Email-Kind", email.Kind);

        var body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody };
        foreach (var id in email.ProductIds.Distinct())
        {
            if (products.TryGetValue(id, out var p))
            {
                var svg = ProductImage.Render(p.Id, p.Name, p.ManufacturerName, p.CategoryId, p.CategoryName);
                var picture = body.LinkedResources.Add($"product-{p.Id}.svg", Encoding.UTF8.GetBytes(svg), new ContentType("image", "svg+xml"));
                picture.ContentId = EmailComposer.ImageContentId(p.Id);
            }
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
