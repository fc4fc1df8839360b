using System.Diagnostics.Metrics;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Email metrics on the Storefront's meter, per kind of email ("digest", "chat-follow-up"): sent, failed (permanently),
/// retried, clicked, and the click-through rate (emails with at least one click / emails sent, from the database, so it
/// survives restarts).
/// </summary>
public sealed class EmailMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _clicks;
    private volatile IReadOnlyDictionary<string, double> _clickThrough = new Dictionary<string, double>();

    public EmailMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(StorefrontMetrics.MeterName);
        _sent = meter.CreateCounter<long>("ecomgo.emails.sent", "{email}", "Emails accepted by the mail server");
        _failed = meter.CreateCounter<long>("ecomgo.emails.failed", "{email}", "Emails given up on (rejected address or too many attempts)");
        _retried = meter.CreateCounter<long>("ecomgo.emails.retried", "{attempt}", "Send attempts that failed and will be retried");
        _clicks = meter.CreateCounter<long>("ecomgo.emails.clicks", "{click}", "Product links followed from emails");
        meter.CreateObservableGauge("ecomgo.emails.click_through_rate",
            () => _clickThrough.Select(kv => new Measurement<double>(kv.Value, new KeyValuePair<string, object?>("email.kind", kv.Key))),
            "1", "Share of sent emails with at least one followed link");
    }

    public void Sent(string kind) => _sent.Add(1, Kind(kind));

    public void Failed(string kind, string reason) => _failed.Add(1, Kind(kind), new KeyValuePair<string, object?>("reason", reason));

    public void Retried(string kind) => _retried.Add(1, Kind(kind));

    public void Clicked(string kind) => _clicks.Add(1, Kind(kind));

    public void SetClickThrough(IReadOnlyDictionary<string, double> ratesByKind) => _clickThrough = ratesByKind;

    private static KeyValuePair<string, object?> Kind(string kind) => new("email.kind", kind);
}
