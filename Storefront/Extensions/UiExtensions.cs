using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using EcomGo.ServiceDefaults.Security;
using EcomGo.Storefront.Apis;
using EcomGo.Storefront.Components;
using EcomGo.Storefront.Components.Account;
using EcomGo.Storefront.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EcomGo.Storefront.Extensions;

/// <summary>The shop's web UI: Blazor (static SSR, interactive server for the chat panel), Identity and cookies, antiforgery.</summary>
public static class UiExtensions
{
    /// <summary>Named HttpClient for the ChatAgent (resolved by service discovery).</summary>
    public const string ChatAgentClient = "chat-agent";

    public static void AddStorefrontUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<ShopUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.SignIn.RequireConfirmedEmail = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddSignInManager()
            .AddEntityFrameworkStores<StorefrontDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<ShopUserClaimsPrincipalFactory>();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "EcomGo.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/login";
            options.ReturnUrlParameter = "returnUrl";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorization();
        services.AddAntiforgery(options => options.Cookie.Name = "EcomGo.Antiforgery");

        // The shopping assistant panel talks to the ChatAgent through the Storefront's /api/chat (service discovery resolves
        // "chat-agent"). No retries (a turn must not run twice) and no client timeout: the answer streams for as long as the
        // ChatAgent's own per-turn timeout allows, and the shopper can stop it.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: the supported way to opt one client out of the defaults.
        services.AddHttpClient(ChatAgentClient, client =>
            {
                client.BaseAddress = new Uri("http://chat-agent");
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers()
            .AddServiceAuthentication(); // the ChatAgent only answers service calls

#pragma warning restore EXTEXP0001
    }

    public static void UseStorefrontUi(this WebApplication app)
    {
        // In every environment: APIs get ProblemDetails from ServiceDefaults' handler, pages the shop's error page
        // (never the Development exception page, which echoes headers and cookies).
        app.UseExceptionHandler("/error", createScopeForErrors: true);

        // Friendly status pages (not found, slow down, try again) for browsers only: APIs, images and health checks keep
        // their plain status codes.
        app.UseWhen(IsPageRequest, pages => pages.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
        // Routing after the status-code pages, so a re-executed "/not-found" is routed again; with the implicit routing
        // at the start of the pipeline an unknown URL such as /products/abc came back as an empty 404.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseShopperSession();
        app.UsePageCache();
        app.UseAntiforgery();
    }

    public static void MapStorefrontUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapProductImagesApi();
        app.MapAntiforgeryToken();

        // Sign-out is a POST with an antiforgery token (form binding makes minimal APIs validate it).
        app.MapPost("/account/logout", async (SignInManager<ShopUser> signInManager, [FromForm] string? returnUrl) =>
            {
                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
            })
            .WithName("Logout")
            .ExcludeFromDescription();

        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int statusCode)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = statusCode;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool IsPageRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api")
        && !context.Request.Path.StartsWithSegments("/images")
        && !context.Request.Path.StartsWithSegments("/_framework")
        && !context.Request.Path.StartsWithSegments("/_blazor")
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A same-site path, as <c>Url.IsLocalUrl</c> defines it: one leading slash, not "//" or "/\\", and no control
    /// characters (browsers drop tabs and newlines, so "/\t/evil.example" would become "//evil.example").
    /// </summary>
    internal static bool IsLocal([NotNullWhen(true)] string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    internal static string? GetUserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
