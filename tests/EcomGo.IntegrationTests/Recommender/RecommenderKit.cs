using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;

namespace EcomGo.IntegrationTests.Recommender;

// The Recommender's JSON shapes, declared here on purpose: the tests check the wire contract, not the C# types.
internal sealed record RecommendedItemDto(int ProductId, double Score, string Reason);
internal sealed record RecommendationListDto(List<RecommendedItemDto> Items, string Method, string Model);
internal sealed record IndexStatusDto(string Model, int Dimensions, int IndexedProducts, int CatalogProducts, bool FirstPassCompleted,
    DateTimeOffset? LastPassCompletedAt, int LastPassEmbedded, string? LastError);
internal sealed record CatalogFeedItemDto(int Id, string Name, int CategoryId, string CategoryName, string ManufacturerName, string Description,
    Dictionary<string, string> Specs, int Stock);

/// <summary>A card on a recommendation shelf as the page rendered it.</summary>
internal sealed record ShelfCard(int ProductId, string Source, string? Reason);

/// <summary>A recommendation shelf as the page rendered it: who answered the list, and its cards.</summary>
internal sealed record Shelf(string Source, List<ShelfCard> Cards);

internal static partial class RecommenderKit
{
    public static readonly TimeSpan IndexTimeout = TimeSpan.FromMinutes(3);

    /// <summary>A client for the Recommender's service-only API, calling as a service does (optionally for one shopper).</summary>
    public static async Task<HttpClient> RecommenderClientAsync(AppFixture fixture, string? shopperKey = null)
    {
        var client = await fixture.CreateServiceClientAsync("recommender", shopperKey);
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    /// <summary>Waits until the Recommender has indexed the whole catalog once (it starts answering before that).</summary>
    public static async Task<IndexStatusDto> WaitForIndexAsync(AppFixture fixture)
    {
        using var client = await RecommenderClientAsync(fixture);
        var deadline = DateTime.UtcNow + IndexTimeout;
        IndexStatusDto? status = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                status = await client.GetFromJsonAsync<IndexStatusDto>("/api/recommendations/index-status", StorefrontClient.Json);
                if (status is { FirstPassCompleted: true })
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // Restarting (a test stopped it): keep waiting.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The Recommender did not finish its first index pass in {IndexTimeout}: {status}");
    }

    /// <summary>The whole catalog by id, from the Storefront's catalog feed (a service-only API).</summary>
    public static async Task<Dictionary<int, CatalogFeedItemDto>> CatalogAsync(AppFixture fixture)
    {
        using var storefront = await fixture.CreateServiceClientAsync("storefront");
        var items = await storefront.GetFromJsonAsync<List<CatalogFeedItemDto>>("/api/catalog/feed?take=1000", StorefrontClient.Json);
        return items!.ToDictionary(p => p.Id);
    }

    /// <summary>Registers a brand-new account through the real form (it signs in and links the session, as for a shopper).</summary>
    public static async Task<StorefrontClient> RegisterAsync(AppFixture fixture, StorefrontClient? existing = null)
    {
        var client = existing ?? new StorefrontClient(fixture);
        var form = await client.Http.GetStringAsync("/account/register");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "no anti-forgery token on the register form");
        var email = $"recs-{Guid.NewGuid():N}@test.ecomgo.local";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "register",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.DisplayName"] = "Test Shopper",
                ["Input.Email"] = email,
                ["Input.Password"] = StorefrontClient.DemoPassword,
                ["Input.ConfirmPassword"] = StorefrontClient.DemoPassword,
            }),
        };
        var response = await client.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK,
            $"register: {(int)response.StatusCode}");
        var me = await client.Http.GetAsync("/api/account/me");
        Assert.True(me.IsSuccessStatusCode, $"registered account is not signed in: {(int)me.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public static async Task ViewAsync(StorefrontClient shopper, int productId)
    {
        var response = await shopper.Http.PostAsJsonAsync("/api/interactions", new { productId, kind = "view" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Reads the shelf with <paramref name="testId"/> from a page (null when the page has none).</summary>
    public static Shelf? ReadShelf(string html, string testId)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var gridTag = html[html.LastIndexOf('<', start)..html.IndexOf('>', start)];
        var source = SourceAttribute().Match(gridTag).Groups[1].Value;
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        var body = html[start..(end < 0 ? html.Length : end)];
        var cards = body.Split("<article ", StringSplitOptions.None).Skip(1).Select(card =>
        {
            var id = int.Parse(ProductIdAttribute().Match(card).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var cardSource = SourceAttribute().Match(card).Groups[1].Value;
            var reason = ReasonElement().Match(card);
            return new ShelfCard(id, cardSource, reason.Success ? WebUtility.HtmlDecode(reason.Groups[1].Value.Trim()) : null);
        }).ToList();
        return new Shelf(source, cards);
    }

    /// <summary>Polls until <paramref name="accept"/> holds for the shelf on <paramref name="path"/>, or the timeout passes (returns the last one).</summary>
    public static async Task<(Shelf? Shelf, TimeSpan Elapsed)> WaitForShelfAsync(StorefrontClient shopper, string path, string testId,
        Func<Shelf, bool> accept, TimeSpan timeout)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Shelf? shelf = null;
        while (stopwatch.Elapsed < timeout)
        {
            shelf = ReadShelf(await shopper.Http.GetStringAsync(path), testId);
            if (shelf is not null && accept(shelf))
            {
                return (shelf, stopwatch.Elapsed);
            }

            await Task.Delay(250);
        }

        return (shelf, stopwatch.Elapsed);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-recommendation-source=\"([a-z]+)\"")]
    private static partial Regex SourceAttribute();

    [GeneratedRegex("data-product-id=\"(\\d+)\"")]
    private static partial Regex ProductIdAttribute();

    [GeneratedRegex("data-testid=\"recommendation-reason\">([^<]*)<")]
    private static partial Regex ReasonElement();
}
