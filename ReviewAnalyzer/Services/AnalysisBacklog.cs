namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// What this instance knows is waiting: reviews seen in the Storefront's feed (or in events) and not analysed yet.
/// In memory by design: after a restart the first sweep rebuilds it from the feed within seconds.
/// </summary>
public sealed class AnalysisBacklog(TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, DateTimeOffset> _pending = []; // review id -> when this instance first saw it waiting
    private int _highestSeen;
    private DateTimeOffset? _lastSweepCompletedAt;
    private string? _lastSweepError;

    // Written by the sweep, read by the stats endpoint: a DateTimeOffset? is not written atomically, hence the lock.
    public DateTimeOffset? LastSweepCompletedAt
    {
        get
        {
            lock (_gate)
            {
                return _lastSweepCompletedAt;
            }
        }
    }

    public string? LastSweepError
    {
        get
        {
            lock (_gate)
            {
                return _lastSweepError;
            }
        }
    }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How long the oldest pending review has waited (zero when nothing is pending).</summary>
    public TimeSpan OldestPendingAge(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _pending.Count == 0 ? TimeSpan.Zero : now - _pending.Values.Min();
        }
    }

    /// <summary>Highest review id seen in the feed or in an event.</summary>
    public int HighestSeenReviewId
    {
        get
        {
            lock (_gate)
            {
                return _highestSeen;
            }
        }
    }

    public void Add(IEnumerable<int> reviewIds)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var id in reviewIds)
            {
                _pending.TryAdd(id, now);
                _highestSeen = Math.Max(_highestSeen, id);
            }
        }
    }

    public void Done(IEnumerable<int> reviewIds)
    {
        lock (_gate)
        {
            foreach (var id in reviewIds)
            {
                _pending.Remove(id);
                _highestSeen = Math.Max(_highestSeen, id);
            }
        }
    }

    public void SweepCompleted(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastSweepCompletedAt = at;
            _lastSweepError = null;
        }
    }

    public void SweepFailed(string error)
    {
        lock (_gate)
        {
            _lastSweepError = error;
        }
    }
}
