using System.Security.Claims;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Extensions;
using EcomGo.Storefront.Services;
using EcomGo.Storefront.Services.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace EcomGo.Storefront.Apis;

/// <summary>
/// JSON sign-in for scripts and tests (the Blazor pages have their own forms). Issues the same Identity cookie,
/// and like the pages moves the anonymous session's cart and views to the account.
/// </summary>
public static class AccountApi
{
    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record AccountInfo(string UserId, string? Email, string DisplayName);

    /// <summary>Whether the shopper gets recommendation emails (weekly digest, chat follow-ups).</summary>
    public sealed record EmailPreferences(bool RecommendationEmails);

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/account").WithTags("Account").WithApiConventions();
        api.MapPost("/login", LoginAsync).WithName("ApiLogin").WithAbuseLimit(AbuseAction.SignIn).WithSummary("Sign in with email and password (sets the auth cookie)");
        api.MapPost("/logout", async Task<NoContent> (SignInManager<ShopUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        }).WithName("ApiLogout");
        api.MapGet("/me", async Task<Results<Ok<AccountInfo>, UnauthorizedHttpResult>> (ClaimsPrincipal principal, UserManager<ShopUser> users) =>
            await users.GetUserAsync(principal) is { } user
                ? TypedResults.Ok(new AccountInfo(user.Id, user.Email, user.DisplayName))
                : TypedResults.Unauthorized()).WithName("ApiMe").RequireAuthorization();
        api.MapGet("/email-preferences", async Task<Results<Ok<EmailPreferences>, UnauthorizedHttpResult>> (ClaimsPrincipal principal, EmailTracking emails, CancellationToken ct) =>
                await emails.GetOptInAsync(ApiConventions.UserId(principal), ct) is { } optIn
                    ? TypedResults.Ok(new EmailPreferences(optIn))
                    : TypedResults.Unauthorized())
            .WithName("GetEmailPreferences").WithSummary("Whether the signed-in shopper gets recommendation emails").RequireAuthorization();
        api.MapPut("/email-preferences", async Task<Results<Ok<EmailPreferences>, UnauthorizedHttpResult>> (EmailPreferences preferences, ClaimsPrincipal principal,
                    EmailTracking emails, CancellationToken ct) =>
                await emails.SetOptInAsync(ApiConventions.UserId(principal), preferences.RecommendationEmails, ct)
                    ? TypedResults.Ok(preferences)
                    : TypedResults.Unauthorized())
            .WithName("SetEmailPreferences").WithSummary("Opt in to or out of recommendation emails").RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<AccountInfo>, ProblemHttpResult>> LoginAsync(LoginRequest request, HttpContext http,
        SignInManager<ShopUser> signIn, IShopperContext shoppers, ICartService cart, TimeProvider time, CancellationToken ct)
    {
        // Before signing in: afterwards this request may already see the user and no longer the session.
        var anonymousSession = shoppers.GetShopper(http).SessionId;
        // Control characters cannot be in an address (and NUL would break the lookup query): just a failed sign-in.
        var user = string.IsNullOrWhiteSpace(request.Email) || ShopValidation.HasControlCharacters(request.Email)
            ? null
            : await signIn.UserManager.FindByEmailAsync(request.Email.Trim());
        var result = user is null || string.IsNullOrEmpty(request.Password)
            ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, request.Password, isPersistent: true, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: result.IsLockedOut ? AbuseLimits.LockedOutMessage(user!.LockoutEnd, time.GetUtcNow()) : "Wrong email or password.");
        }

        if (anonymousSession is { } sessionId)
        {
            await cart.LinkSessionAsync(sessionId, user!.Id, ct);
        }

        return TypedResults.Ok(new AccountInfo(user!.Id, user.Email, user.DisplayName));
    }
}
