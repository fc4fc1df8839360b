using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using MimeKit;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// The weekly digest, end to end through the AppHost: queued by the dashboard's "send digests now", sent over SMTP to the
/// local mail catcher (smtp4dev), read back from its HTTP API; links followed through the tracker.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EmailDigestTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly CultureInfo Shop = CultureInfo.GetCultureInfo("en-US");

    [Fact]
    public async Task Opted_in_demo_shopper_gets_one_digest_of_real_products_priced_as_in_the_shop_with_tracked_links()
    {
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        Assert.True(await EmailKit.GetOptInAsync(ava), "demo shoppers start opted in");
        output.WriteLine($"send digests now (dashboard command): {await EmailKit.SendDigestsFromDashboardAsync(fixture)}");

        using var inbox = new MailCatcher(fixture);
        var digest = await inbox.WaitForAsync(StorefrontClient.Ava, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);

        // Proper MIME: a plain-text alternative beside the HTML, pictures inside the message, one-click unsubscribe.
        Assert.False(string.IsNullOrWhiteSpace(digest.TextBody));
        Assert.False(string.IsNullOrWhiteSpace(digest.HtmlBody));
        Assert.Contains("List-Unsubscribe=One-Click", digest.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("/email/one-click-unsubscribe/", digest.Headers["List-Unsubscribe"]);
        var imageSources = System.Text.RegularExpressions.Regex.Matches(digest.HtmlBody, """<img src="([^"]+)" """).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(imageSources);
        Assert.All(imageSources, src => Assert.StartsWith("cid:", src));
        var contentIds = digest.BodyParts.Where(p => p.ContentId is not null).Select(p => p.ContentId).ToHashSet();
        Assert.All(imageSources, src => Assert.Contains(src["cid:".Length..], contentIds));
        Assert.DoesNotContain("src=\"http", digest.HtmlBody);

        // Real products, priced as the shop shows them now, none of them already bought, each linked through the tracker.
        var links = EmailKit.ProductLinks(digest);
        output.WriteLine(digest.TextBody);
        Assert.InRange(links.Count, 3, 6);
        await using var db = await Db.OpenAsync(fixture);
        var bought = (await db.QueryAsync("""SELECT DISTINCT "ProductId" FROM storefront."Interactions" WHERE "UserId" = $1 AND "Kind" = 'Purchase'""",
            r => r.GetInt32(0), ava.UserId!)).ToHashSet();
        foreach (var link in links)
        {
            var product = await ava.GetAsync<ProductDetails>($"/api/catalog/products/{link.ProductId}");
            var price = product.Summary.Price.Price.ToString("C", Shop);
            Assert.Contains($"{product.Summary.Name} ({product.Summary.ManufacturerName}): {price}", digest.TextBody);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(price), digest.HtmlBody);
            Assert.DoesNotContain(link.ProductId, bought);
            Assert.Contains("/email/click/", link.Url);
        }

        // Only one digest this week, even though the dashboard was asked again.
        var again = await EmailKit.SendDigestsAsync(fixture);
        Assert.Equal(0, again.Queued);
        Assert.True(again.AlreadyQueued >= 1, $"the second run should find this week's digests already queued: {again}");
        await EmailKit.WaitForQueueDrainedAsync(fixture, EmailKit.DeliveryTimeout);
        Assert.Single(await inbox.ListAsync(StorefrontClient.Ava), m => m.Subject == EmailKit.DigestSubject);
    }

    [Fact]
    public async Task Following_a_link_records_an_email_click_the_recommender_learns_from_and_lands_on_the_product_page()
    {
        await EmailKit.SendDigestsFromDashboardAsync(fixture);
        using var inbox = new MailCatcher(fixture);
        var digest = await inbox.WaitForAsync(StorefrontClient.Ava, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);
        var link = EmailKit.ProductLinks(digest)[^1];

        // Following the link needs no sign-in: the signed token says who the email was for.
        using var reader = new StorefrontClient(fixture, withCsrfHeader: false);
        reader.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var click = await reader.Http.GetAsync(EmailKit.PathOf(link.Url));
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal($"/products/{link.ProductId}", click.Headers.Location?.OriginalString);

        var page = await reader.Http.GetAsync(click.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var product = await reader.GetAsync<ProductDetails>($"/api/catalog/products/{link.ProductId}");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(product.Summary.Name), await page.Content.ReadAsStringAsync());

        // The click is Ava's email-click interaction, and it reaches the Recommender's own copy of her history.
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        await using var db = await Db.OpenAsync(fixture);
        Assert.Equal(1, await db.ScalarAsync(
            """SELECT COUNT(*) FROM storefront."Interactions" WHERE "UserId" = $1 AND "ProductId" = $2 AND "Kind" = 'EmailClick'""", ava.UserId!, link.ProductId));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.ScalarAsync("""SELECT COUNT(*) FROM recs."Interactions" WHERE "ShopperKey" = $1 AND "ProductId" = $2 AND "Kind" = 'email-click'""",
                   $"user:{ava.UserId}", link.ProductId) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The Recommender did not store the email-click interaction within 60 s.");
            await Task.Delay(500);
        }

        // Clicking again is counted as a click, but is not a second interaction.
        Assert.Equal(HttpStatusCode.Redirect, (await reader.Http.GetAsync(EmailKit.PathOf(link.Url))).StatusCode);
        Assert.Equal(1, await db.ScalarAsync(
            """SELECT COUNT(*) FROM storefront."Interactions" WHERE "UserId" = $1 AND "ProductId" = $2 AND "Kind" = 'EmailClick'""", ava.UserId!, link.ProductId));
        Assert.True(await db.ScalarAsync("""SELECT COUNT(*) FROM storefront."EmailClicks" WHERE "ProductId" = $1""", link.ProductId) >= 2);
    }

    [Fact]
    public async Task A_tampered_or_made_up_link_gets_the_not_found_page_and_redirects_nowhere()
    {
        await EmailKit.SendDigestsFromDashboardAsync(fixture);
        using var inbox = new MailCatcher(fixture);
        var digest = await inbox.WaitForAsync(StorefrontClient.Ava, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);
        var path = EmailKit.PathOf(EmailKit.ProductLinks(digest)[0].Url);
        var token = path[(path.LastIndexOf('/') + 1)..];
        // Flip one character in the middle of the token (still valid base64url, no longer a valid signature).
        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];

        using var browser = new StorefrontClient(fixture, withCsrfHeader: false);
        browser.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        foreach (var bad in new[] { $"/email/click/{tampered}", "/email/click/not-a-token", $"/email/click/{token}x", "/email/unsubscribe/" + tampered })
        {
            var response = await browser.Http.GetAsync(bad);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
        }

        var oneClick = await browser.Http.PostAsync("/email/one-click-unsubscribe/" + tampered,
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.NotFound, oneClick.StatusCode);
    }

    [Fact]
    public async Task Opted_out_shopper_gets_nothing_and_an_opted_in_one_can_unsubscribe_without_signing_in()
    {
        using var inbox = new MailCatcher(fixture);
        // New accounts start opted out; this one opts in and then out again before the run.
        var outAddress = EmailKit.UniqueAddress("out");
        using var optedOut = await EmailKit.RegisterAsync(fixture, outAddress, "Olive Out");
        Assert.False(await EmailKit.GetOptInAsync(optedOut));
        await EmailKit.SetOptInAsync(optedOut, true);
        await EmailKit.SetOptInAsync(optedOut, false);

        var inAddress = EmailKit.UniqueAddress("in");
        using var optedIn = await EmailKit.RegisterAsync(fixture, inAddress, "Ian In");
        await EmailKit.SetOptInAsync(optedIn, true);

        var run = await EmailKit.SendDigestsAsync(fixture);
        output.WriteLine($"run: {run}");
        var digest = await inbox.WaitForAsync(inAddress, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);
        await EmailKit.WaitForQueueDrainedAsync(fixture, EmailKit.DeliveryTimeout);
        Assert.Empty(await inbox.ListAsync(outAddress));
        await using var db = await Db.OpenAsync(fixture);
        Assert.Equal(0, await db.ScalarAsync("""SELECT COUNT(*) FROM storefront."EmailMessages" WHERE "ToAddress" = $1""", outAddress));

        // Unsubscribe from the email, signed out: the page asks first (a GET changes nothing) ...
        var (pageUrl, oneClickUrl) = EmailKit.UnsubscribeLinks(digest);
        using var stranger = new StorefrontClient(fixture, withCsrfHeader: false);
        stranger.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await stranger.Http.GetAsync(EmailKit.PathOf(pageUrl));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"unsubscribe-form\"", await page.Content.ReadAsStringAsync());
        Assert.True(await EmailKit.GetOptInAsync(optedIn));

        // ... and the mail client's one-click POST (RFC 8058) opts out.
        var oneClick = await stranger.Http.PostAsync(EmailKit.PathOf(oneClickUrl), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.False(await EmailKit.GetOptInAsync(optedIn));
    }

    [Fact]
    public async Task Staff_see_sent_emails_and_clicks_per_day_and_shoppers_do_not()
    {
        await EmailKit.SendDigestsFromDashboardAsync(fixture);
        await EmailKit.WaitForQueueDrainedAsync(fixture, EmailKit.DeliveryTimeout);

        using var staff = await StorefrontClient.SignedInAsync(fixture, "staff@ecomgo.local");
        staff.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await staff.Http.GetAsync("/staff/emails");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"email-chart\"", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script src=", html.Split("data-testid=\"email-chart\"")[1].Split("</figure>")[0]);
        // Today's digests are counted in the digest row (the run above sent at least the demo shoppers').
        var row = System.Text.RegularExpressions.Regex.Match(html, """<tr data-kind="digest">\s*<td>digest</td><td>(\d+)</td>""");
        Assert.True(row.Success, "no digest row on the staff page");
        Assert.True(int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture) >= 1);

        using var shopper = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Marco);
        shopper.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var denied = await shopper.Http.GetAsync("/staff/emails");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/login", denied.Headers.Location?.OriginalString);
    }
}
