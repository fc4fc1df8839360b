using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EcomGo.IntegrationTests.Browser;

/// <summary>End-to-end shopper scenarios in headless Chromium against the whole AppHost (local mode).</summary>
[Collection(AppCollection.Name)]
public sealed partial class StorefrontBrowserTests(AppFixture fixture, ITestOutputHelper output) : BrowserTestBase(fixture)
{
    [Fact]
    public async Task Signed_in_shopper_gets_recommendations_finds_a_product_sees_grouped_reviews_buys_it_and_reviews_it()
    {
        var stopwatch = Stopwatch.StartNew();
        var page = await NewPageAsync();
        await SignInAsync(page);

        // Home: personal recommendations for a signed-in shopper.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recommended for you" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("account-menu")).ToContainTextAsync("Hi Ava");
        output.WriteLine($"Home page screenshot: {await ScreenshotAsync(page, "home.png")}");

        // Search by a manufacturer's name (taken from a recommended product) and open a result that has reviews.
        var maker = (await page.GetByTestId("product-card").First.Locator(".product-card-maker").InnerTextAsync()).Trim();
        var search = page.GetByLabel("Search products");
        await search.FillAsync(maker);
        await search.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex(@"/catalog\?q="));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(maker);
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("product");
        output.WriteLine($"Catalog search screenshot: {await ScreenshotAsync(page, "catalog.png")}");
        var reviewed = page.GetByTestId("product-card").Filter(new() { Has = page.Locator(".stars-count") }).First;
        await reviewed.Locator("a.product-card-link").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/products/\d+"));
        var productPath = new Uri(page.Url).AbsolutePath;
        output.WriteLine($"Product under test: {productPath} (searched for '{maker}')");

        // Reviews: grouped by sentiment, colour-coded, with text labels. New and seeded reviews start out pending; the
        // ReviewAnalyzer (scripted fast model in tests) classifies them within moments, so wait for a classified group.
        await Expect(page.Locator(".review[data-sentiment]").First).ToBeVisibleAsync();
        await AssertReviewGroupsAsync(page);
        var classified = page.Locator("section[data-group]:not([data-group=pending])");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await classified.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await page.WaitForTimeoutAsync(3_000);
            await page.ReloadAsync();
        }

        Assert.True(await classified.CountAsync() > 0, "No review was classified by the ReviewAnalyzer within 2 minutes");
        await AssertReviewGroupsAsync(page);
        output.WriteLine($"Product page screenshot: {await ScreenshotAsync(page, "product.png")}");

        // Add to cart, check out, see the confirmation and the order in the history.
        await page.GetByLabel("Quantity").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Added 2" })).ToBeVisibleAsync();
        await page.GotoAsync("/cart");
        await Expect(page.GetByTestId("cart-line").First).ToBeVisibleAsync();
        output.WriteLine($"Cart screenshot: {await ScreenshotAsync(page, "cart.png")}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/checkout$"));
        await page.GetByLabel("Full name").FillAsync("Ava Chen");
        await page.GetByLabel("Address").FillAsync("12 Harbour Street\n2000 Sydney\nAustralia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/orders/\d+"));
        await Expect(page.GetByTestId("order-confirmation")).ToContainTextAsync("has been placed");
        output.WriteLine($"Order confirmation screenshot: {await ScreenshotAsync(page, "order.png")}");
        var orderId = Regex.Match(page.Url, @"/orders/(\d+)").Groups[1].Value;
        await page.GotoAsync("/orders");
        await Expect(page.Locator($"[data-testid=order-row][data-order-id='{orderId}']")).ToBeVisibleAsync();

        // Write a review: it shows at once under "Pending analysis".
        var title = $"Solid buy {Guid.NewGuid():N}"[..20];
        await page.GotoAsync(productPath);
        await page.GetByLabel("4 stars").CheckAsync();
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Your review").FillAsync("Does what it promises, arrived quickly and feels well made.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post review" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "pending analysis" })).ToBeVisibleAsync();
        var mine = page.Locator(".review[data-sentiment]").Filter(new() { HasText = title });
        await Expect(mine).ToBeVisibleAsync();
        var sentiment = await mine.GetAttributeAsync("data-sentiment");
        output.WriteLine($"The new review rendered as '{sentiment}' right after posting");
        if (sentiment == "pending")
        {
            var pendingGroup = page.Locator("[data-group=pending]");
            await Expect(pendingGroup.GetByRole(AriaRole.Heading, new() { Level = 3 })).ToContainTextAsync(new Regex(@"Pending analysis \(\d+\)"));
            await Expect(pendingGroup.Locator(".review").Filter(new() { HasText = title })).ToBeVisibleAsync();
            await Expect(mine.Locator(".review-label")).ToHaveTextAsync("Pending analysis");
        }
        else
        {
            // The analyzer beat the redirect: the review sits in its sentiment's group with that group's label.
            Assert.Contains(sentiment, new[] { "positive", "neutral", "negative" });
        }

        await AssertReviewGroupsAsync(page);

        output.WriteLine($"Journey took {stopwatch.Elapsed.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task Anonymous_shopper_submitting_empty_forms_sees_validation_messages()
    {
        var page = await NewPageAsync();

        await page.GotoAsync("/account/register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByText("Enter a display name.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter your email address.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Choose a password.")).ToBeVisibleAsync();

        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText("Enter your email address.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter your password.")).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync(DemoEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Wrong email or password.");

        // Anonymous shoppers get a sign-in link instead of the review form, and checkout asks them to sign in.
        await page.GotoAsync("/products/1");
        var signInLink = page.GetByRole(AriaRole.Link, new() { Name = "Sign in to write a review" });
        await Expect(signInLink).ToHaveAttributeAsync("href", new Regex(@"/account/login\?returnUrl=%2Fproducts%2F1"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Post review" })).ToHaveCountAsync(0);
        await page.GotoAsync("/checkout");
        await page.WaitForURLAsync(new Regex(@"/account/login\?returnUrl=%2Fcheckout"));
    }

    [Fact]
    public async Task A_review_containing_a_script_tag_is_shown_as_text()
    {
        var page = await NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };

        // A brand-new account, so this review never collides with the demo shopper's own.
        var email = $"xss-{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/account/register");
        await page.GetByLabel("Display name").FillAsync("Mallory <b>bold</b>");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoPassword);
        await page.GetByLabel("Confirm password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByTestId("account-menu")).ToContainTextAsync("Hi Mallory <b>bold</b>");

        const string payload = "<script>alert(1)</script> Sneaky text that should stay text.";
        await CaptureOnFailureAsync(page, "script-review", async () =>
        {
        await page.GotoAsync("/products/2");
        await page.GetByLabel("1 star", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Title").FillAsync("<img src=x onerror=alert(2)>");
        await page.GetByLabel("Your review").FillAsync(payload);
        await page.GetByRole(AriaRole.Button, new() { Name = "Post review" }).ClickAsync();

        // Pending at first, or already classified by the fast analyzer: either way it is rendered as plain text.
        var card = page.Locator(".review[data-sentiment]").Filter(new() { HasText = "Sneaky text" });
        await Expect(card.Locator(".review-text")).ToHaveTextAsync(payload);
        await Expect(card.Locator(".review-title")).ToHaveTextAsync("<img src=x onerror=alert(2)>");
        Assert.Equal(0, await card.Locator("script, img").CountAsync());

        // Reload with a full page load too: still nothing executes.
        await page.ReloadAsync();
        await Expect(card.Locator(".review-text")).ToHaveTextAsync(payload);
        await page.WaitForTimeoutAsync(500);
        await AssertReviewGroupsAsync(page); // product 2's seeded reviews span several sentiments once analysed
        });
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task Shopping_assistant_panel_streams_an_answer_with_a_product_card_that_opens_the_product_page()
    {
        // The scripted model searches, then lists what the search returned, plus markup and a foreign link that must
        // reach the shopper as inert text.
        Fixture.Ollama.Chat.WhenUserSays("zqb1 waterproof").ForModel(ChatAgent.ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = "running shoes" })
            .ThenReply(info => ChatAgent.ChatAgentTests.AnswerListing(info.ToolResultValues.Single()) +
                               "\n\n<img src=x onerror=alert(1)> See also [a forum](https://evil.example/deals).");
        var dialogs = new List<string>();
        var page = await NewPageAsync();
        page.Dialog += (_, d) => dialogs.Add(d.Message);
        await page.GotoAsync("/");
        await page.GetByText("Ask our shopping assistant").ClickAsync();
        var input = page.GetByLabel("Your question");
        await input.FillAsync("zqb1 waterproof running shoes?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        // Up to the ChatAgent's own turn timeout: right after start-up the ReviewAnalyzer's first sweep keeps the single
        // PGlite session busy, and the turn's first database write waited almost two minutes in one run on a loaded machine.
        var answer = page.Locator(".chat-msg--assistant[data-state=completed]");
        await Expect(answer).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Expect(answer).ToContainTextAsync("Here is what I found");
        await Expect(page.Locator(".chat-msg--user")).ToContainTextAsync("waterproof running shoes");
        var card = answer.GetByTestId("chat-product-card").First;
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Add to cart" })).ToBeVisibleAsync();
        var productName = (await card.Locator(".chat-card-name").InnerTextAsync()).Trim();
        output.WriteLine($"Assistant answered: {await answer.InnerTextAsync()}");

        // Model text is never markup: the <img> shows as text, the foreign link is plain text, nothing ran.
        await Expect(answer).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Equal(0, await answer.Locator(".chat-text img").CountAsync());
        Assert.Equal(0, await answer.Locator("a[href*='evil.example']").CountAsync());
        Assert.True(await answer.Locator(".chat-text a[href^='/products/']").CountAsync() > 0, "product links in the answer");
        output.WriteLine($"Chat screenshot: {await ScreenshotAsync(page, "chat.png")}");

        // The card opens the product page; the conversation is still in the panel there, and after a full reload.
        await card.Locator("a.chat-card-link").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/products/\d+"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(productName);
        await Expect(page.Locator(".chat-msg--assistant").First).ToContainTextAsync(productName);
        await page.ReloadAsync();
        await Expect(page.Locator(".chat-msg--assistant").First).ToContainTextAsync(productName);
        await Expect(page.GetByTestId("chat-product-card").First).ToBeVisibleAsync();
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task Product_images_are_cached_svgs_and_unknown_products_are_404()
    {
        using var http = Fixture.CreateHttpClient("storefront");
        using var response = await http.GetAsync("/images/products/1.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg);
        System.Xml.Linq.XDocument.Parse(svg); // well-formed: names are XML-escaped

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/images/products/1.svg");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await http.GetAsync("/images/products/987654.svg");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var page = await NewPageAsync();
        var notFound = await page.GotoAsync("/products/987654");
        Assert.Equal(404, notFound!.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
    }

    /// <summary>Groups in order Positive, Neutral, Negative, Pending, counts that match, and each card's colours.</summary>
    private async Task AssertReviewGroupsAsync(IPage page)
    {
        var groups = await page.EvaluateAsync<GroupInfo[]>("""
            () => [...document.querySelectorAll('section[data-group]')].map(g => ({
                group: g.dataset.group,
                heading: g.querySelector('h3').textContent.replace(/\s+/g, ' ').trim(),
                cards: g.querySelectorAll('.review[data-sentiment]').length,
            }))
            """);
        Assert.NotEmpty(groups);
        string[] order = ["positive", "neutral", "negative", "pending"];
        Assert.Equal(groups.Select(g => g.Group).OrderBy(g => Array.IndexOf(order, g)), groups.Select(g => g.Group));
        foreach (var group in groups)
        {
            var label = group.Group == "pending" ? "Pending analysis" : char.ToUpperInvariant(group.Group[0]) + group.Group[1..];
            Assert.StartsWith($"{label} ({group.Cards})", group.Heading);
        }

        output.WriteLine("Review groups: " + string.Join(", ", groups.Select(g => $"{g.Group}={g.Cards}")));

        var cards = await page.EvaluateAsync<CardStyle[]>("""
            () => [...document.querySelectorAll('.review[data-sentiment]')].map(e => {
                const s = getComputedStyle(e);
                return {
                    sentiment: e.dataset.sentiment,
                    group: e.closest('section[data-group]').dataset.group,
                    background: s.backgroundColor,
                    border: s.borderTopColor,
                    borderStyle: s.borderTopStyle,
                    borderWidth: parseFloat(s.borderTopWidth),
                    label: (e.querySelector('.review-label')?.textContent ?? '').trim(),
                    hasClass: e.classList.contains('review--' + e.dataset.sentiment),
                };
            })
            """);
        foreach (var card in cards)
        {
            Assert.Equal(card.Group, card.Sentiment);
            Assert.True(card.HasClass, $"card without review--{card.Sentiment}");
            var bg = ParseColor(card.Background);
            var border = ParseColor(card.Border);
            switch (card.Sentiment)
            {
                case "positive":
                    Assert.True(bg.G > bg.R + 10 && bg.G > bg.B + 10, $"positive background not green: {card.Background}");
                    Assert.Equal("Positive", card.Label);
                    break;
                case "negative":
                    Assert.True(bg.R > bg.G + 10 && bg.R > bg.B + 10, $"negative background not red: {card.Background}");
                    Assert.Equal("Negative", card.Label);
                    break;
                case "neutral":
                    Assert.Equal((255, 255, 255), (bg.R, bg.G, bg.B));
                    Assert.True(card.BorderWidth >= 1 && card.BorderStyle != "none", "neutral card needs a visible border");
                    Assert.NotEqual((255, 255, 255), (border.R, border.G, border.B));
                    Assert.Equal("Neutral", card.Label);
                    break;
                case "pending":
                    Assert.Equal("dashed", card.BorderStyle);
                    Assert.True(Math.Abs(bg.R - bg.G) < 16 && Math.Abs(bg.G - bg.B) < 16, $"pending background not grey: {card.Background}");
                    Assert.Equal("Pending analysis", card.Label);
                    break;
                default:
                    Assert.Fail($"Unknown sentiment {card.Sentiment}");
                    break;
            }
        }
    }

    private sealed class GroupInfo
    {
        public string Group { get; set; } = "";
        public string Heading { get; set; } = "";
        public int Cards { get; set; }
    }

    private sealed class CardStyle
    {
        public string Sentiment { get; set; } = "";
        public string Group { get; set; } = "";
        public string Background { get; set; } = "";
        public string Border { get; set; } = "";
        public string BorderStyle { get; set; } = "";
        public double BorderWidth { get; set; }
        public string Label { get; set; } = "";
        public bool HasClass { get; set; }
    }
}
