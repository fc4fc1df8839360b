using EcomGo.ServiceDefaults.Security;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomGo.ServiceDefaults.Data;
using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using EcomGo.Storefront.Services.Email;
using Microsoft.AspNetCore.DataProtection;
using EcomGo.Storefront.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Own schema; migrate, then seed the demo shop on first start (before the outbox dispatcher, registered below, starts).
        builder.AddServiceDatabase<StorefrontDbContext>(StorefrontDbContext.Schema, StorefrontDbContext.ConfigureNpgsql, StorefrontSeeder.SeedAsync);
        builder.AddRedisEventBus();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IShopperContext, ShopperContext>();

        // Domain services (scoped: they share the request's DbContext).
        services.AddScoped<PricingService>();
        services.AddScoped<ICatalogService, CatalogService>();
        services.AddScoped<IReviewService, ReviewService>();
        services.AddScoped<ICartService, CartService>();
        services.AddScoped<IOrderService, OrderService>();
        services.AddScoped<IInteractionRecorder, InteractionRecorder>();
        services.AddScoped<IRecommendationService, RecommendationService>();

        AddAiServiceClients(builder);

        // Transactional outbox -> Redis.
        builder.AddTransactionalOutbox<StorefrontDbContext>(StorefrontMetrics.MeterName);

        // Product page views are buffered and written in batches, off the request path.
        services.Configure<ProductViewOptions>(builder.Configuration.GetSection(ProductViewOptions.SectionName));
        services.AddSingleton<ProductViewBuffer>();
        services.AddHostedService<ProductViewWriter>();

        AddEmails(builder);

        // The ReviewAnalyzer's results, kept in our own tables: product pages never call it.
        services.AddHostedService<ReviewAnalyzedConsumer>();
        services.AddHostedService<ProductOpinionUpdatedConsumer>();

        services.AddProblemDetails();
        services.AddOpenApi();
        // Enums travel as words ("positive", "percentage"), readable for the AI services and stable if members are reordered.
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
    }

    /// <summary>
    /// The Recommender answers while a page is rendering, so it gets a short timeout and no retries
    /// (ServiceDefaults' standard resilience would wait up to 30 s): a slow answer is worth less than the fallback.
    /// </summary>
    // RemoveAllResilienceHandlers is marked for evaluation, but it is the supported way to opt one client out of the defaults.
#pragma warning disable EXTEXP0001
    private static void AddAiServiceClients(IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AiServicesOptions>(builder.Configuration.GetSection(AiServicesOptions.SectionName));

        builder.Services.AddHttpClient<RecommenderClient>(RecommenderClient.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<AiServicesOptions>>().Value;
                http.BaseAddress = options.RecommenderBaseAddress;
                http.Timeout = options.RecommenderTimeout;
            })
            .RemoveAllResilienceHandlers()
            .AddServiceAuthentication();
    }
#pragma warning restore EXTEXP0001

    /// <summary>
    /// Recommendation emails: a durable queue in our schema sent over SMTP (the "mail" connection string) by
    /// <see cref="EmailSender"/>, the weekly digest, click tracking with signed links, and their metrics.
    /// </summary>
    private static void AddEmails(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<EmailOptions>(builder.Configuration.GetSection(EmailOptions.SectionName));
        // Link tokens must survive restarts and work on every replica: keep the key ring in the database, not on one disk.
        services.AddDataProtection().SetApplicationName("EcomGo.Storefront").PersistKeysToDbContext<StorefrontDbContext>();
        // Data Protection loads its key ring in a hosted service that authentication registered before the migration's
        // (hosted services start in order): move it behind, so a fresh database has its key table before the first read.
        if (services.LastOrDefault(d => d.ServiceType == typeof(IHostedService)
                && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService") is { } keyRingLoader)
        {
            services.Remove(keyRingLoader);
            services.Add(keyRingLoader);
        }
        services.AddSingleton<EmailLinks>();
        services.AddSingleton<EmailSignal>();
        services.AddSingleton<EmailMetrics>();
        services.AddSingleton<DigestRuns>();
        services.AddScoped<EmailQueue>();
        services.AddScoped<EmailStats>();
        services.AddScoped<EmailTracking>();
        services.AddScoped<RecommendationEmails>();
        services.AddHostedService<EmailSender>();
        services.AddHostedService<DigestScheduler>();
        services.AddHostedService<ChatFollowUpConsumer>();
    }

    /// <summary>Call after authentication: signed-in shoppers still get a session for when they sign out.</summary>
    public static IApplicationBuilder UseShopperSession(this IApplicationBuilder app) => app.UseMiddleware<ShopperSessionMiddleware>();
}
