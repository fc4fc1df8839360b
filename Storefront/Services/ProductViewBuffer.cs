using System.Diagnostics.Metrics;
using System.Threading.Channels;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Workers;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Services;

public sealed class ProductViewOptions
{
    public const string SectionName = "ProductViews";

    /// <summary>Views waiting to be written; past this, new views are dropped (and counted) rather than slow the shop.</summary>
    public int Capacity { get; set; } = 10_000;
    public int BatchSize { get; set; } = 500;
    /// <summary>How long the writer gathers views before writing a batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Product page views, kept off the request path: a page view enqueues here (no database write in the request) and
/// <see cref="ProductViewWriter"/> writes them in batches. The buffer is bounded; under overload new views are
/// dropped and counted on <c>ecomgo.interactions.views_dropped</c>. A view only nudges recommendations, so losing
/// some under overload (or the last fraction of a second on a crash) is the price of a page view costing a read.
/// </summary>
public sealed class ProductViewBuffer
{
    private readonly Channel<Interaction> _channel;
    private readonly Counter<long> _dropped;
    private readonly TimeProvider _time;

    public ProductViewBuffer(IOptions<ProductViewOptions> options, IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(StorefrontMetrics.MeterName);
        _dropped = meter.CreateCounter<long>("ecomgo.interactions.views_dropped", "{view}", "Product views dropped because the view buffer was full");
        _channel = Channel.CreateBounded<Interaction>(
            new BoundedChannelOptions(Math.Max(1, options.Value.Capacity)) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => _dropped.Add(1));
        meter.CreateObservableGauge("ecomgo.interactions.views_buffered", () => _channel.Reader.Count, "{view}", "Product views waiting to be written");
    }

    /// <summary>Queues a view of a product that exists (the caller just loaded it). Never blocks; never throws for a full buffer.</summary>
    public void Record(ShopperIdentity shopper, int productId)
    {
        if (shopper.UserId is null && shopper.SessionId is null)
        {
            return; // no one to attribute it to (cookies refused)
        }

        _channel.Writer.TryWrite(InteractionRecorder.Create(shopper, productId, InteractionKind.View, 1, _time.GetUtcNow()));
    }

    internal ChannelReader<Interaction> Reader => _channel.Reader;

    internal void Complete() => _channel.Writer.TryComplete();
}
