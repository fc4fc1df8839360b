using System.Net;
using System.Net.Http.Headers;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// Service-only APIs (the feeds that list every shopper's history, and the AI services' APIs) answer only callers that
/// hold the AppHost's per-run service key: not anonymous callers, not a signed-in shopper's cookie, not a guessed key.
/// The services' own calls still work: the ReviewAnalyzer learns seeded reviews only through the review feed
/// (ReviewAnalyzerAppTests.Seeded_reviews_get_analysed_...).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ServiceAuthenticationTests(AppFixture fixture)
{
    /// <summary>Every service-only GET, with the service that serves it.</summary>
    public static TheoryData<string, string> ServiceOnlyRoutes => new()
    {
        { "storefront", "/api/interactions/feed" },
        { "storefront", "/api/reviews/feed" },
        { "storefront", "/api/catalog/feed" },
        { "recommender", "/api/recommendations/popular" },
        { "recommender", "/api/recommendations/similar/1" },
        { "recommender", "/api/recommendations/search?q=tent" },
        { "recommender", "/api/recommendations/index-status" },
        { "review-analyzer", "/api/sentiments?productId=1" },
        { "review-analyzer", "/api/sentiments/stats" },
        { "review-analyzer", "/api/opinions/1" },
    };

    [Theory]
    [MemberData(nameof(ServiceOnlyRoutes))]
    public async Task Anonymous_callers_shoppers_and_wrong_keys_are_refused_while_the_service_key_gets_in(string service, string path)
    {
        using (var anonymous = fixture.CreateHttpClient(service))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        using (var wrongKey = fixture.CreateHttpClient(service))
        {
            wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(path)).StatusCode);
        }

        if (service == "storefront")
        {
            // A signed-in shopper's cookie is a shopper, not a service.
            using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
            var response = await ava.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("userId", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        using var asService = await fixture.CreateServiceClientAsync(service);
        var ok = await asService.GetAsync(path);
        Assert.True(ok.IsSuccessStatusCode || ok.StatusCode == HttpStatusCode.NotFound, $"{service}{path} as a service: {(int)ok.StatusCode}");
    }
}
