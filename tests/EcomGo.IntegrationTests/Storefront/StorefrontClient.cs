using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomGo.IntegrationTests.Infrastructure;
using Npgsql;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// An HTTP client for the Storefront with its own cookie jar (IHttpClientFactory would share cookies between
/// "different" shoppers) and the anti-forgery header the JSON APIs require on state-changing calls.
/// </summary>
internal sealed class StorefrontClient : IDisposable
{
    public const string DemoPassword = "Demo!2345";
    public const string Ava = "ava.chen@demo.ecomgo.local";
    public const string Marco = "marco.rossi@demo.ecomgo.local";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }

    public StorefrontClient(AppFixture fixture, bool withCsrfHeader = true)
    {
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = fixture.App.GetEndpoint("storefront", "http"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (withCsrfHeader)
        {
            Http.DefaultRequestHeaders.Add("X-Requested-With", "ecomgo");
        }
    }

    public static async Task<StorefrontClient> SignedInAsync(AppFixture fixture, string email)
    {
        var client = new StorefrontClient(fixture);
        var response = await client.Http.PostAsJsonAsync("/api/account/login", new { email, password = DemoPassword });
        Assert.True(response.IsSuccessStatusCode, $"login {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var me = await response.Content.ReadFromJsonAsync<AccountInfo>(Json);
        client.UserId = me!.UserId;
        return client;
    }

    public string? UserId { get; private set; }

    /// <summary>
    /// Submits one of a page's Blazor forms as a browser does: the anti-forgery token from <paramref name="pagePath"/>,
    /// the form's name as <c>_handler</c>, and an HTML Accept header (so errors come back as the shop's pages).
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await Http.GetStringAsync(pagePath);
        var field = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"");
        Assert.True(field.Success, $"no anti-forgery field on {pagePath}");
        var token = WebUtility.HtmlDecode(field.Groups[1].Value);
        if (token.Length == 0)
        {
            // A page from the shared page cache: its field is empty, and the browser fetches its own token (js/antiforgery.js).
            using var fetched = await Http.GetFromJsonAsync<JsonDocument>("/antiforgery/token");
            token = fetched!.RootElement.GetProperty("token").GetString()!;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, pagePath)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields)
            {
                ["_handler"] = formName,
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Accept.ParseAdd("text/html");
        return await Http.SendAsync(request);
    }

    public async Task<T> GetAsync<T>(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public void Dispose() => Http.Dispose();
}

internal static class Db
{
    public static async Task<NpgsqlDataSource> OpenAsync(AppFixture fixture) =>
        NpgsqlDataSource.Create(await fixture.GetConnectionStringAsync("shopdb"));

    public static async Task<long> ScalarAsync(this NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlDataSource db, string sql, Func<NpgsqlDataReader, T> map, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}

// The Storefront's JSON shapes, declared here on purpose: the tests check the wire contract, not the C# types.
internal sealed record AccountInfo(string UserId, string? Email, string DisplayName);
internal sealed record PriceInfo(decimal ListPrice, decimal Price, decimal Saving, string? DiscountLabel, DateTimeOffset? DiscountEndsAt, bool IsDiscounted);
internal sealed record ProductSummary(int Id, string Name, int CategoryId, string CategoryName, int ManufacturerId, string ManufacturerName,
    PriceInfo Price, int Stock, double? AverageRating, int ReviewCount, string ImageUrl);
internal sealed record PagedResult<T>(List<T> Items, int Page, int PageSize, int TotalCount, int PageCount);
internal sealed record ProductDetails(ProductSummary Summary, string Description, Dictionary<string, string> Specs, ManufacturerInfo Manufacturer);
internal sealed record CategoryInfo(int Id, string Name, string Slug, string Description, int ProductCount);
internal sealed record ManufacturerInfo(int Id, string Name, string Country, int Founded, string Description, string Website, int ProductCount);
internal sealed record ManufacturerDetails(ManufacturerInfo Manufacturer, List<ProductSummary> Products);
internal sealed record PromotionInfo(int Id, string Name, string Description, string Kind, decimal Amount, string Target, int TargetId,
    string TargetName, DateTimeOffset StartsAt, DateTimeOffset EndsAt);
internal sealed record ReviewView(int Id, int ProductId, string AuthorName, int Rating, string Title, string Text, DateTimeOffset CreatedAt,
    string Sentiment, bool IsOwn);
internal sealed record ReviewGroup(string Sentiment, List<ReviewView> Reviews);
internal sealed record ProductReviews(int ProductId, List<ReviewGroup> Groups, double? AverageRating, int TotalCount, string? OpinionSummary);
internal sealed record OrderLineView(int ProductId, string ProductName, decimal UnitPrice, int Quantity);
internal sealed record OrderView(int Id, DateTimeOffset PlacedAt, string Status, decimal Total, string ShippingName, string ShippingAddress,
    List<OrderLineView> Lines);
internal sealed record CartLine(int ProductId, string ProductName, string ImageUrl, PriceInfo UnitPrice, int Quantity, int Stock);
internal sealed record CartView(List<CartLine> Lines, decimal Total, int ItemCount);
internal sealed record ValidationProblem(string? Title, int Status, Dictionary<string, string[]> Errors);
