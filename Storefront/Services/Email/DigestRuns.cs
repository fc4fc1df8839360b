using EcomGo.ServiceDefaults.Messaging;

namespace EcomGo.Storefront.Services.Email;

/// <summary>Where "send digests now" stands: the latest request's ticket and the last finished run (this instance's).</summary>
public sealed record DigestRunStatus(long RequestedTicket, bool Running, DigestRunResult? Last);

/// <summary>
/// "Send digests now" requests, handed to <c>DigestScheduler</c>: a run over every opted-in shopper takes longer than an
/// HTTP call should wait, so a request is answered at once with a ticket, and the run that covers it reports its counts
/// (also in the log). Requests made while a run is going get one more run afterwards, which covers them all.
/// </summary>
public sealed class DigestRuns
{
    private readonly WakeUpSignal _requests = new();
    private long _requested;
    private volatile bool _running;
    private volatile DigestRunResult? _last;

    public DigestRunStatus Status => new(Interlocked.Read(ref _requested), _running, _last);

    /// <summary>Asks for a run; returns the ticket the result will carry (or exceed).</summary>
    public DigestRunStatus Request()
    {
        Interlocked.Increment(ref _requested);
        _requests.Notify();
        return Status;
    }

    /// <summary>Waits for a request or the timeout; returns the ticket to run for, or null on timeout.</summary>
    internal async Task<long?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _requests.WaitAsync(timeout, cancellationToken) ? Interlocked.Read(ref _requested) : null;

    internal void Started() => _running = true;

    internal void Finished(DigestRunResult? result)
    {
        if (result is not null)
        {
            _last = result;
        }

        _running = false;
    }
}
