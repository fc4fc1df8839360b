namespace EcomGo.Recommender;

/// <summary>Tunables of indexing, syncing and serving, bound from the "Recommender" configuration section.</summary>
public sealed class RecommenderOptions
{
    public const string SectionName = "Recommender";

    /// <summary>Base address of the Storefront (resolved by service discovery).</summary>
    public Uri StorefrontUrl { get; set; } = new("http://storefront");

    /// <summary>Products fetched per page of the catalog feed; each page is embedded and saved before the next.</summary>
    public int CatalogPageSize { get; set; } = 200;

    /// <summary>Texts sent to the embedding model in one call.</summary>
    public int EmbeddingBatchSize { get; set; } = 32;

    /// <summary>Pause between catalog index passes (new and changed products, stock).</summary>
    public TimeSpan IndexInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause before retrying a failed pass (the Storefront or the model may still be starting).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interactions fetched per page of the Storefront's interaction feed.</summary>
    public int InteractionPageSize { get; set; } = 1000;

    /// <summary>Pause between sweeps of the interaction feed once caught up (events do the real-time work).</summary>
    public TimeSpan InteractionSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the sweep starts again from the first interaction: sessions the Storefront linked to an account whose
    /// shopper-signed-in event was lost are moved to the account then (the feed shows the user for them).
    /// </summary>
    public TimeSpan FullInteractionSweepInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A shopper's most recent interactions that make up the profile.</summary>
    public int MaxProfileInteractions { get; set; } = 200;

    /// <summary>Candidates taken from the vector index per list (before blending and diversifying).</summary>
    public int NearestCandidates { get; set; } = 60;

    /// <summary>HNSW search breadth (pgvector <c>hnsw.ef_search</c>), set per query transaction.</summary>
    public int EfSearch { get; set; } = 100;

    /// <summary>MMR trade-off: 1 = pure relevance, lower = more variety in the list.</summary>
    public double DiversityLambda { get; set; } = 0.75;

    /// <summary>Window of "popular this week".</summary>
    public TimeSpan PopularWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a shopper's list stays cached (it is also dropped as soon as the shopper's profile changes).</summary>
    public TimeSpan ShopperCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// List lengths computed and cached right after an event changed a shopper's profile (the Storefront's home page asks
    /// for 12), so the next page view is a cache hit instead of a full hybrid query under the Storefront's 2 s timeout.
    /// </summary>
    public int[] WarmListCounts { get; set; } = [12];

    /// <summary>How long popular and similar lists stay cached.</summary>
    public TimeSpan SharedCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);
}
