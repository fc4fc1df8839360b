using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EcomGo.Recommender.Services;

/// <summary>The service's own spans and metrics ("EcomGo.Recommender"; ServiceDefaults exports "EcomGo.*").</summary>
public sealed class RecommenderTelemetry
{
    public const string Name = "EcomGo.Recommender";

    private readonly Counter<long> _embedded;
    private readonly Counter<long> _interactions;
    private readonly Counter<long> _profileUpdates;
    private readonly Histogram<double> _eventToProfile;
    private readonly Counter<long> _served;

    public RecommenderTelemetry(IMeterFactory meterFactory, ProductIndexProgress progress)
    {
        var meter = meterFactory.Create(Name);
        _embedded = meter.CreateCounter<long>("ecomgo.recommender.products.embedded", "{product}", "Products embedded (new, changed or re-embedded for a new model).");
        meter.CreateObservableGauge("ecomgo.recommender.index.products", () => progress.IndexedProducts, "{product}", "Products with a vector of the current model.");
        meter.CreateObservableGauge("ecomgo.recommender.index.catalog_products", () => progress.CatalogProducts, "{product}", "Products the catalog feed listed in the last pass.");
        _interactions = meter.CreateCounter<long>("ecomgo.recommender.interactions.stored", "{interaction}", "Interactions stored, by source (event or sweep).");
        _profileUpdates = meter.CreateCounter<long>("ecomgo.recommender.profiles.updated", "{profile}", "Shopper profiles rebuilt.");
        _eventToProfile = meter.CreateHistogram<double>("ecomgo.recommender.event_to_profile.duration", "s", "From the interaction to the updated profile.");
        _served = meter.CreateCounter<long>("ecomgo.recommender.lists.served", "{list}", "Lists served, by method and cache hit.");
    }

    public ActivitySource ActivitySource { get; } = new(Name);

    public void RecordEmbedded(int count, string model) => _embedded.Add(count, new KeyValuePair<string, object?>("model", model));

    public void RecordInteractions(int count, string source) => _interactions.Add(count, new KeyValuePair<string, object?>("source", source));

    public void RecordProfileUpdated(TimeSpan? sinceInteraction)
    {
        _profileUpdates.Add(1);
        if (sinceInteraction is { } lag && lag >= TimeSpan.Zero)
        {
            _eventToProfile.Record(lag.TotalSeconds);
        }
    }

    public void RecordServed(string method, bool cached) =>
        _served.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("cached", cached));
}
