using EcomGo.ServiceDefaults.Http;
using EcomGo.Storefront.Apis;
using EcomGo.Storefront.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // data, catalog, shopping, reviews, outbox, AI service clients
builder.AddStorefrontUi();        // Blazor SSR, Identity, cookies, antiforgery
builder.AddPageCache();           // anonymous home, catalog and product pages from the output cache, evicted on change
builder.AddAbuseLimits();         // rate limits on sign-in, reviews, cart and checkout; Identity lockout

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.UseStorefrontUi();
app.UseAbuseLimits();         // 429 with Retry-After past a shopper's or an address's limit

app.MapDefaultEndpoints();
app.MapOpenApi();             // /openapi/v1.json
app.MapCatalogApi();
app.MapReviewsApi();
app.MapCartApi();
app.MapOrdersApi();
app.MapInteractionsApi();
app.MapAccountApi();
app.MapChatApi();             // the chat panel: relays the ChatAgent's stream with the shopper's key
app.MapEmailsApi();           // links in emails (tracked clicks, one-click unsubscribe); "send digests now" for the dashboard
app.MapStorefrontUi();

app.Run();
