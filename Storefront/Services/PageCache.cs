using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EcomGo.Storefront.Components;
using EcomGo.Storefront.Workers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using HeaderNames = Microsoft.Net.Http.Headers.HeaderNames;

namespace EcomGo.Storefront.Services;

public sealed class PageCacheOptions
{
    public const string SectionName = "PageCache";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest a shared page is served unchanged. Writes evict at once; this bounds what the Storefront is not told
    /// about (the Recommender's popular list). Keep it under Blazor's 5-minute component-marker lifetime.
    /// </summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often <see cref="CatalogChangeWatcher"/> looks for price, stock and promotion changes made outside the shop.</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The anonymous page cache (ASP.NET Core output caching, in memory): the home, catalog and product pages as a visitor
/// with no personal state sees them. Signed-in shoppers, and browsers with a cart or other state of their own
/// (<see cref="PersonalBrowser"/>), always get a fresh render. Writes that change what a page shows evict it by tag.
/// </summary>
public sealed class PageCache
{
    public const string HomePolicy = "page-home";
    public const string CatalogPolicy = "page-catalog";
    public const string ProductPolicy = "page-product";

    internal const string AllPagesTag = "page";
    internal const string ListingsTag = "page:listings";

    private readonly IOutputCacheStore _store;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _evictions;
    private readonly ConcurrentDictionary<int, long> _productGenerations = new();
    private long _generation;

    public PageCache(IOutputCacheStore store, IMeterFactory meterFactory)
    {
        _store = store;
        var meter = meterFactory.Create(StorefrontMetrics.MeterName);
        _hits = meter.CreateCounter<long>("ecomgo.page_cache.hits", "{page}", "Anonymous pages served from the output cache");
        _evictions = meter.CreateCounter<long>("ecomgo.page_cache.evictions", "{eviction}", "Page cache evictions after a change");
    }

    internal static string ProductTag(int productId) => $"page:product:{productId}";

    /// <summary>
    /// Changes with each eviction that concerns a page (of every page, or of one product's): a page whose render overlapped
    /// one may hold old data and is not stored.
    /// </summary>
    internal (long All, long Product) Generation(int? productId) =>
        (Interlocked.Read(ref _generation), productId is int id ? _productGenerations.GetValueOrDefault(id) : 0);

    internal void CountHit() => _hits.Add(1);

    /// <summary>
    /// A product's price, stock or reviews changed: its page and the listings that show it. With
    /// <paramref name="listings"/> false (a review's label, an opinion summary) only the product's own page shows it.
    /// </summary>
    public async Task ProductsChangedAsync(IEnumerable<int> productIds, CancellationToken cancellationToken = default, bool listings = true)
    {
        if (listings)
        {
            Interlocked.Increment(ref _generation);
        }

        foreach (var productId in productIds.Distinct())
        {
            _productGenerations.AddOrUpdate(productId, 1, (_, generation) => generation + 1);
            await _store.EvictByTagAsync(ProductTag(productId), cancellationToken);
        }

        if (listings)
        {
            await _store.EvictByTagAsync(ListingsTag, cancellationToken);
        }

        _evictions.Add(1);
    }

    /// <summary>Something shared by many pages changed (prices or promotions edited in the database).</summary>
    public async Task EverythingChangedAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _generation);
        await _store.EvictByTagAsync(AllPagesTag, cancellationToken);
        _evictions.Add(1);
    }
}

/// <summary>
/// Output-cache policy of one kind of shared page. Only anonymous browsers without personal state look up or store;
/// a response that sets a cookie (a first visit's session, an anti-forgery cookie) or is not a 200 is never stored, so
/// one visitor's cookies never reach another.
/// </summary>
internal sealed class PageCachePolicy(string tag, bool personalOnceViewed) : IOutputCachePolicy
{
    private static readonly object s_sharedPageKey = new();
    private static readonly object s_generationKey = new();

    /// <summary>True while rendering a page that may be stored and served to other visitors.</summary>
    public static bool IsSharedPage(HttpContext context) => context.Items.ContainsKey(s_sharedPageKey);

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<PageCacheOptions>>().Value;
        var shared = options.Enabled
            && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && http.User.Identity?.IsAuthenticated != true
            && !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
            && !PersonalBrowser.IsPersonal(http.Request, personalOnceViewed);

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = shared;
        context.AllowCacheStorage = shared;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = options.Duration;
        context.CacheVaryByRules.QueryKeys = "*";
        // Blazor's enhanced navigation fetches the same page with its own Accept header and expects its own response.
        context.CacheVaryByRules.VaryByValues["enhanced-nav"] =
            http.Request.Headers.Accept.ToString().Contains("blazor-enhanced-nav", StringComparison.OrdinalIgnoreCase) ? "1" : "0";
        context.Tags.Add(PageCache.AllPagesTag);
        context.Tags.Add(tag);
        if (ProductId(http) is int productId)
        {
            context.Tags.Add(PageCache.ProductTag(productId));
        }

        if (shared)
        {
            http.Items[s_sharedPageKey] = true;
            http.Items[s_generationKey] = http.RequestServices.GetRequiredService<PageCache>().Generation(ProductId(http));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        http.RequestServices.GetRequiredService<PageCache>().CountHit();
        // A product page from the cache is still a view of that product by this visitor.
        if (ProductId(http) is int productId)
        {
            http.RecordProductView(http.RequestServices.GetRequiredService<ProductViewBuffer>(), productId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode != StatusCodes.Status200OK
            || http.Response.Headers.ContainsKey(HeaderNames.SetCookie)
            || (http.Items.TryGetValue(s_generationKey, out var started) && started is ValueTuple<long, long> generation
                && generation != http.RequestServices.GetRequiredService<PageCache>().Generation(ProductId(http))))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }

    private static int? ProductId(HttpContext http) =>
        http.GetRouteValue("Id") is { } value && int.TryParse(value.ToString(), out var id) ? id : null;
}

/// <summary>
/// Marks a browser whose pages are its own: an anonymous visitor who changed something (a cart, a sign-in attempt, a
/// chat) gets <c>ecomgo_personal</c>; one who viewed a product gets <c>ecomgo_viewed</c> (the home page then shows
/// picks for them). Both only ever make a browser's pages uncached, never cached.
/// </summary>
public static class PersonalBrowser
{
    public const string PersonalCookie = "ecomgo_personal";
    public const string ViewedCookie = "ecomgo_viewed";

    internal static bool IsPersonal(HttpRequest request, bool viewedCounts) =>
        request.Cookies.ContainsKey(PersonalCookie) || (viewedCounts && request.Cookies.ContainsKey(ViewedCookie));

    /// <summary>Queues the view (see <see cref="ProductViewBuffer"/>) and remembers that this browser has a history.</summary>
    public static void RecordProductView(this HttpContext http, ProductViewBuffer buffer, int productId)
    {
        buffer.Record(http.GetShopperIdentity(), productId);
        Mark(http, ViewedCookie);
    }

    internal static void Mark(HttpContext http, string cookie)
    {
        if (http.User.Identity?.IsAuthenticated == true || http.Request.Cookies.ContainsKey(cookie) || http.Response.HasStarted)
        {
            return;
        }

        http.Response.Cookies.Append(cookie, "1", new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
            Path = "/",
        });
    }
}

/// <summary>
/// Anti-forgery tokens belong to one browser, so a page that may be shared renders its forms with an empty token field;
/// js/antiforgery.js fills it from <c>/antiforgery/token</c> just before the form is posted. Every other page gets its
/// token as usual. (Blazor's own provider is internal; this does what it does for static rendering.)
/// </summary>
internal sealed class SharedPageAntiforgeryStateProvider(IHttpContextAccessor accessor, IAntiforgery antiforgery, IOptions<AntiforgeryOptions> options)
    : AntiforgeryStateProvider
{
    private AntiforgeryRequestToken? _token;

    public override AntiforgeryRequestToken? GetAntiforgeryToken()
    {
        if (_token is not null || accessor.HttpContext is not { } http)
        {
            return _token;
        }

        if (PageCachePolicy.IsSharedPage(http))
        {
            return _token = new AntiforgeryRequestToken("", options.Value.FormFieldName);
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        return _token = new AntiforgeryRequestToken(tokens.RequestToken!, tokens.FormFieldName);
    }
}
