using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Recommender;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>An app of its own with low abuse limits (the shared app's tests send thousands of writes from one address).</summary>
public sealed class AbuseLimitApp() : SeparateApp(
[
    $"--Storefront:AbuseLimits:SignIn:PerShopper={SignInsPerShopper}",
    $"--Storefront:AbuseLimits:Lockout:MaxFailedAttempts={FailedSignInsBeforeLockout}",
    "--Storefront:AbuseLimits:Lockout:Duration=00:10:00",
    $"--Storefront:AbuseLimits:Review:PerShopper={ReviewsPerShopper}",
    $"--Storefront:AbuseLimits:AddToCart:PerShopper={CartAddsPerShopper}",
    $"--Storefront:AbuseLimits:AddToCart:PerIp={CartAddsPerIp}",
    $"--Storefront:AbuseLimits:Checkout:PerShopper={CheckoutsPerShopper}",
    // Long windows: a window that restarts during a test would let a request through that must be refused.
    .. new[] { "SignIn", "Review", "AddToCart", "Checkout" }.Select(a => $"--Storefront:AbuseLimits:{a}:Window=00:30:00"),
])
{
    public const int SignInsPerShopper = 4;
    public const int FailedSignInsBeforeLockout = 3;
    public const int ReviewsPerShopper = 2;
    public const int CartAddsPerShopper = 3;
    public const int CartAddsPerIp = 8;
    public const int CheckoutsPerShopper = 2;
}

/// <summary>DisableParallelization: runs after the shared app's collections, so two apps never compete for the cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AbuseLimitCollection : ICollectionFixture<AbuseLimitApp>
{
    public const string Name = "EcomGo app, abuse limits";
}

/// <summary>
/// Sign-in attempts, review posting, add-to-cart and checkout are limited per shopper and per address: past the limit the
/// JSON API answers 429 ProblemDetails with Retry-After and the page's form shows the "slow down" page; repeated wrong
/// passwords lock the account.
/// </summary>
[Collection(AbuseLimitCollection.Name)]
public sealed class AbuseLimitTests(AbuseLimitApp app, ITestOutputHelper output)
{
    private AppFixture Fixture => app.App;

    [Fact]
    public async Task Sign_in_attempts_past_the_shopper_limit_get_429_with_Retry_After_on_the_api_and_the_page()
    {
        using var shopper = new StorefrontClient(Fixture);
        var email = $"nobody-{Guid.NewGuid():N}@test.ecomgo.local";
        for (var i = 0; i < AbuseLimitApp.SignInsPerShopper; i++)
        {
            var attempt = await shopper.Http.PostAsJsonAsync("/api/account/login", new { email, password = "wrong-password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        var limited = await shopper.Http.PostAsJsonAsync("/api/account/login", new { email, password = "wrong-password-1" });
        await AssertApiLimitedAsync(limited, "sign-in attempts");

        // The sign-in page's form shares the limit and explains it.
        var page = await shopper.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "wrong-password-1",
        });
        await AssertPageLimitedAsync(page, "Too many sign-in attempts");
    }

    [Fact]
    public async Task Failed_sign_ins_lock_the_account_and_the_sign_in_page_says_so()
    {
        using var registered = await RecommenderKit.RegisterAsync(Fixture);
        var email = (await registered.GetAsync<AccountInfo>("/api/account/me")).Email!;

        using var attacker = new StorefrontClient(Fixture);
        for (var i = 0; i < AbuseLimitApp.FailedSignInsBeforeLockout; i++)
        {
            var wrong = await attacker.Http.PostAsJsonAsync("/api/account/login", new { email, password = $"guess-{i}-Password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Now even the right password is refused, with the reason.
        var locked = await attacker.Http.PostAsJsonAsync("/api/account/login", new { email, password = StorefrontClient.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        var problem = await locked.Content.ReadAsStringAsync();
        output.WriteLine($"locked out: {problem}");
        Assert.Contains("locked", problem, StringComparison.OrdinalIgnoreCase);

        // The owner, from another browser, sees the locked-out message on the sign-in page.
        using var owner = new StorefrontClient(Fixture);
        var page = await owner.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = StorefrontClient.DemoPassword,
        });
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"login-error\"", html);
        Assert.Contains("locked after too many failed sign-in attempts", html);
        Assert.False((await owner.Http.GetAsync("/api/account/me")).IsSuccessStatusCode, "a locked account was signed in");
    }

    [Fact]
    public async Task Reviews_past_the_shopper_limit_get_429_with_Retry_After_on_the_api_and_the_product_page()
    {
        using var shopper = await RecommenderKit.RegisterAsync(Fixture);
        for (var productId = 1; productId <= AbuseLimitApp.ReviewsPerShopper; productId++)
        {
            var posted = await shopper.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
                new { rating = 4, title = "Solid", text = "Does what it says, well made." });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var limited = await shopper.Http.PostAsJsonAsync("/api/products/10/reviews",
            new { rating = 4, title = "Solid", text = "Does what it says, well made." });
        await AssertApiLimitedAsync(limited, "reviews");

        var page = await shopper.PostFormAsync("/products/11", "review", new Dictionary<string, string>
        {
            ["ReviewForm.Rating"] = "5",
            ["ReviewForm.Title"] = "Great",
            ["ReviewForm.Text"] = "Really great, would buy again.",
        });
        await AssertPageLimitedAsync(page, "posted several reviews");
        var mine = await shopper.GetAsync<List<ReviewView>>("/api/reviews/mine");
        Assert.Equal(AbuseLimitApp.ReviewsPerShopper, mine.Count);
    }

    [Fact]
    public async Task Add_to_cart_is_limited_per_shopper_and_per_address()
    {
        using var first = new StorefrontClient(Fixture);
        for (var i = 0; i < AbuseLimitApp.CartAddsPerShopper; i++)
        {
            var added = await first.Http.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 1 });
            Assert.True(added.IsSuccessStatusCode, $"add {i + 1}: {(int)added.StatusCode}");
        }

        await AssertApiLimitedAsync(await first.Http.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 1 }), "adding items");

        // New sessions from the same address (a script dropping its cookies) share the address's limit.
        var fresh = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < AbuseLimitApp.CartAddsPerIp && refused is null; i++)
        {
            using var another = new StorefrontClient(Fixture);
            var added = await another.Http.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 1 });
            if (added.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = added;
            }
            else
            {
                Assert.True(added.IsSuccessStatusCode, $"fresh session {i + 1}: {(int)added.StatusCode}");
                fresh++;
            }
        }

        output.WriteLine($"address limit {AbuseLimitApp.CartAddsPerIp}: {AbuseLimitApp.CartAddsPerShopper} adds by the first shopper, then {fresh} fresh sessions added one item each before a 429");
        Assert.NotNull(refused);
        Assert.Equal(AbuseLimitApp.CartAddsPerIp - AbuseLimitApp.CartAddsPerShopper, fresh);
        await AssertApiLimitedAsync(refused, "adding items");

        // The product page's "Add to cart" form explains it too.
        using var pageShopper = new StorefrontClient(Fixture);
        var page = await pageShopper.PostFormAsync("/products/1", "add-to-cart", new Dictionary<string, string> { ["AddInput.Quantity"] = "1" });
        await AssertPageLimitedAsync(page, "adding items to your cart faster");
    }

    [Fact]
    public async Task Checkout_attempts_past_the_shopper_limit_get_429_with_Retry_After_on_the_api_and_the_page()
    {
        using var shopper = await RecommenderKit.RegisterAsync(Fixture);
        for (var i = 0; i < AbuseLimitApp.CheckoutsPerShopper; i++)
        {
            // An empty cart: refused by validation, but every attempt counts.
            var attempt = await shopper.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Abuse Test", shippingAddress = "1 Limit Street" });
            Assert.Equal(HttpStatusCode.BadRequest, attempt.StatusCode);
        }

        await AssertApiLimitedAsync(
            await shopper.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Abuse Test", shippingAddress = "1 Limit Street" }), "checkout attempts");

        // The checkout form (with an empty cart the page only shows the token in its sign-out form; the limit comes first).
        var page = await shopper.PostFormAsync("/checkout", "checkout", new Dictionary<string, string>
        {
            ["Input.ShippingName"] = "Abuse Test",
            ["Input.ShippingAddress"] = "1 Limit Street",
        });
        await AssertPageLimitedAsync(page, "Too many checkout attempts");
    }

    private async Task AssertApiLimitedAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} Retry-After: {response.Headers.RetryAfter?.Delta?.TotalSeconds} {body}");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "no Retry-After in seconds");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, body, StringComparison.OrdinalIgnoreCase);
    }

    private async Task AssertPageLimitedAsync(HttpResponseMessage response, string message)
    {
        var html = await response.Content.ReadAsStringAsync();
        output.WriteLine($"page: {(int)response.StatusCode} Retry-After: {response.Headers.RetryAfter?.Delta?.TotalSeconds}");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "no Retry-After on the page");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"too-many-requests\"", html);
        Assert.Contains(message, html);
    }
}
