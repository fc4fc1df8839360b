using EcomGo.Storefront.Services;
using EcomGo.Storefront.Workers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Forms;

namespace EcomGo.Storefront.Extensions;

/// <summary>The anonymous page cache: see <see cref="PageCache"/>.</summary>
public static class PageCacheExtensions
{
    public static void AddPageCache(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<PageCacheOptions>(builder.Configuration.GetSection(PageCacheOptions.SectionName));
        // In memory: one Storefront instance, and Garnet (local mode) has no Lua for the Redis output-cache store.
        services.AddOutputCache(options =>
        {
            options.AddPolicy(PageCache.HomePolicy, new PageCachePolicy(PageCache.ListingsTag, personalOnceViewed: true));
            options.AddPolicy(PageCache.CatalogPolicy, new PageCachePolicy(PageCache.ListingsTag, personalOnceViewed: false));
            options.AddPolicy(PageCache.ProductPolicy, new PageCachePolicy("page:products", personalOnceViewed: false));
        });
        services.AddSingleton<PageCache>();
        services.AddHostedService<CatalogChangeWatcher>();
        // After AddRazorComponents: replaces Blazor's provider so shared pages carry no browser's token.
        services.AddScoped<AntiforgeryStateProvider, SharedPageAntiforgeryStateProvider>();
    }

    /// <summary>After authentication and the shopper session, before anti-forgery validation.</summary>
    public static void UsePageCache(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // A browser that changes something (cart, sign-in, chat) has pages of its own from now on.
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
            {
                PersonalBrowser.Mark(context, PersonalBrowser.PersonalCookie);
            }

            return next(context);
        });
        app.UseOutputCache();
    }

    /// <summary>This browser's anti-forgery token, for forms on shared (cached) pages; never cached itself.</summary>
    public static void MapAntiforgeryToken(this WebApplication app) =>
        app.MapGet("/antiforgery/token", (HttpContext http, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(http);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new AntiforgeryTokenResponse(tokens.RequestToken!, tokens.FormFieldName));
            })
            .ExcludeFromDescription();

    public sealed record AntiforgeryTokenResponse(string Token, string FormFieldName);
}
