using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>The local mail catcher (smtp4dev, resource "mail") read through its HTTP API, as a developer's inbox.</summary>
internal sealed class MailCatcher : IDisposable
{
    private readonly HttpClient _http;

    public MailCatcher(AppFixture fixture) =>
        _http = new HttpClient { BaseAddress = fixture.App.GetEndpoint("mail", "http"), Timeout = TimeSpan.FromSeconds(30) };

    public sealed record MessageSummary(string Id, string From, List<string> To, DateTimeOffset ReceivedDate, string Subject);

    private sealed record MessagePage(List<MessageSummary> Results, int RowCount);

    /// <summary>Every message the catcher holds for <paramref name="address"/> (newest first).</summary>
    public async Task<List<MessageSummary>> ListAsync(string address)
    {
        var page = await _http.GetFromJsonAsync<MessagePage>(
            $"/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=1000", StorefrontClient.Json);
        return [.. page!.Results.Where(m => m.To.Any(t => string.Equals(t, address, StringComparison.OrdinalIgnoreCase)))];
    }

    public async Task<MimeMessage> GetAsync(string id)
    {
        await using var raw = await _http.GetStreamAsync($"/api/messages/{id}/raw");
        return await MimeMessage.LoadAsync(raw);
    }

    /// <summary>Waits until a message for <paramref name="address"/> with <paramref name="subject"/> arrives; returns it.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, string subject, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = (await ListAsync(address)).FirstOrDefault(m => m.Subject == subject);
            if (found is not null)
            {
                return await GetAsync(found.Id);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No email '{subject}' to {address} within {timeout}.");
            await Task.Delay(500);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What a recommendation email holds, read the way a test (or a curious shopper) reads it.</summary>
internal sealed record EmailLink(int ProductId, string Url);

internal static partial class EmailKit
{
    public const string DigestSubject = "Picked for you this week";
    public const string FollowUpSubject = "From your chat with our assistant";

    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    public sealed record DigestRunResult(long Ticket, string Period, int OptedIn, int Queued, int AlreadyQueued, int NothingToRecommend, double Seconds,
        DateTimeOffset FinishedAt);

    public sealed record DigestRunStatus(long RequestedTicket, bool Running, DigestRunResult? Last);

    /// <summary>A digest run over every demo shopper on a busy 2-core machine.</summary>
    public static readonly TimeSpan DigestRunTimeout = TimeSpan.FromMinutes(5);

    public sealed record EmailQueueEntry(long Id, string Kind, string ToAddress, string Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    public sealed record EmailQueueState(int Pending, int Sent, int Failed, int Cancelled, List<EmailQueueEntry> Recent);

    /// <summary>"Send digests now" as the dashboard runs it (the storefront resource's command); waits for the run it started.</summary>
    public static async Task<DigestRunResult> SendDigestsFromDashboardAsync(AppFixture fixture)
    {
        using var service = await fixture.CreateServiceClientAsync("storefront");
        var before = (await service.GetFromJsonAsync<DigestRunStatus>("/api/emails/digests/runs", StorefrontClient.Json))!.RequestedTicket;
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("storefront", EcomGo.AppHost.Commands.StorefrontCommands.SendDigests);
        Assert.True(result.Success, $"send-digests failed: {result.Message}");
        return await WaitForRunAsync(service, before + 1);
    }

    /// <summary>The same operation through the service API; returns the counts of the run that covered the request.</summary>
    public static async Task<DigestRunResult> SendDigestsAsync(AppFixture fixture)
    {
        using var service = await fixture.CreateServiceClientAsync("storefront");
        var response = await service.PostAsync("/api/emails/digests/send", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"send digests: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var requested = (await response.Content.ReadFromJsonAsync<DigestRunStatus>(StorefrontClient.Json))!.RequestedTicket;
        return await WaitForRunAsync(service, requested);
    }

    private static async Task<DigestRunResult> WaitForRunAsync(HttpClient service, long ticket)
    {
        var deadline = DateTime.UtcNow + DigestRunTimeout;
        while (true)
        {
            var status = (await service.GetFromJsonAsync<DigestRunStatus>("/api/emails/digests/runs", StorefrontClient.Json))!;
            if (status.Last is { } last && last.Ticket >= ticket)
            {
                return last;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No digest run covered request {ticket} within {DigestRunTimeout}: {status}");
            await Task.Delay(500);
        }
    }

    public static async Task<EmailQueueState> QueueAsync(AppFixture fixture)
    {
        using var service = await fixture.CreateServiceClientAsync("storefront");
        return (await service.GetFromJsonAsync<EmailQueueState>("/api/emails/queue", StorefrontClient.Json))!;
    }

    /// <summary>Waits until nothing is waiting in the email queue (sent, failed or cancelled).</summary>
    public static async Task WaitForQueueDrainedAsync(AppFixture fixture, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await QueueAsync(fixture)).Pending > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The email queue still has pending emails after {timeout}.");
            await Task.Delay(500);
        }
    }

    /// <summary>Creates a shop account through the registration page (as a browser posts it) with the demo password; signed in.</summary>
    public static async Task<StorefrontClient> RegisterAsync(AppFixture fixture, string email, string displayName)
    {
        using (var browser = new StorefrontClient(fixture, withCsrfHeader: false))
        {
            var page = await browser.Http.GetStringAsync("/account/register");
            var form = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            form["Input.DisplayName"] = displayName;
            form["Input.Email"] = email;
            form["Input.Password"] = StorefrontClient.DemoPassword;
            form["Input.ConfirmPassword"] = StorefrontClient.DemoPassword;
            var response = await browser.Http.PostAsync("/account/register", new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK,
                $"register {email}: {(int)response.StatusCode}");
        }

        return await StorefrontClient.SignedInAsync(fixture, email);
    }

    public static async Task SetOptInAsync(StorefrontClient shopper, bool optIn)
    {
        var response = await shopper.Http.PutAsJsonAsync("/api/account/email-preferences", new { recommendationEmails = optIn });
        Assert.True(response.IsSuccessStatusCode, $"email preferences: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<bool> GetOptInAsync(StorefrontClient shopper) =>
        (await shopper.GetAsync<JsonElement>("/api/account/email-preferences")).GetProperty("recommendationEmails").GetBoolean();

    /// <summary>A unique address per test run, so reruns against a kept inbox never see old mail.</summary>
    public static string UniqueAddress(string name, string domain = "example.test") => $"{name}.{Guid.NewGuid():N}"[..(name.Length + 9)] + "@" + domain;

    /// <summary>The tracked product links of an email's HTML, in order.</summary>
    public static List<EmailLink> ProductLinks(MimeMessage message) =>
        [.. ProductLink().Matches(message.HtmlBody ?? "")
            .Select(m => new EmailLink(int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), WebUtility.HtmlDecode(m.Groups["url"].Value)))
            .DistinctBy(l => l.ProductId)];

    /// <summary>The unsubscribe page link in the body, and the one-click address of the List-Unsubscribe header.</summary>
    public static (string Page, string OneClick) UnsubscribeLinks(MimeMessage message)
    {
        var page = WebUtility.HtmlDecode(UnsubscribeLink().Match(message.HtmlBody ?? "").Groups["url"].Value);
        var header = message.Headers["List-Unsubscribe"] ?? "";
        return (page, header.Trim().TrimStart('<').TrimEnd('>'));
    }

    /// <summary>The HTML with every cid: picture replaced by the part it names (as data: URLs), as a mail client renders it.</summary>
    public static string HtmlWithInlinePictures(MimeMessage message)
    {
        var html = message.HtmlBody ?? "";
        foreach (var part in message.BodyParts.OfType<MimePart>().Where(p => p.ContentId is not null))
        {
            using var bytes = new MemoryStream();
            part.Content?.DecodeTo(bytes);
            html = html.Replace($"cid:{part.ContentId}", $"data:{part.ContentType.MimeType};base64,{Convert.ToBase64String(bytes.ToArray())}", StringComparison.Ordinal);
        }

        return html;
    }

    /// <summary>A link of the storefront (absolute in the email) as a path of the test's own client.</summary>
    public static string PathOf(string url) => new Uri(url).PathAndQuery;

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""<a href="(?<url>[^"]+/email/click/[^"]+)" data-product-id="(?<id>\d+)"\s""")]
    private static partial Regex ProductLink();

    [GeneratedRegex("""<a href="(?<url>[^"]+/email/unsubscribe/[^"]+)"[^>]*data-unsubscribe""")]
    private static partial Regex UnsubscribeLink();
}
