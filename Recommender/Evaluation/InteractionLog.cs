namespace EcomGo.Recommender.Evaluation;

/// <summary>One row of the interaction log, with user and item replaced by dense indexes.</summary>
/// <param name="Weight">How strong a positive signal the row is (see <see cref="EventWeights"/>); 0 = no signal.</param>
public readonly record struct Interaction(int User, int Item, long Ticks, float Weight);

/// <summary>A catalog and an interaction log, indexed densely for the in-memory methods.</summary>
public sealed class InteractionLog
{
    public required IReadOnlyList<string> ItemIds { get; init; }

    /// <summary>Text to embed per item (title, description, category, brand); empty for items only seen in the log.</summary>
    public required IReadOnlyList<string> ItemTexts { get; init; }

    public required IReadOnlyList<string> UserIds { get; init; }

    /// <summary>All interactions, ordered by time (ties keep file order).</summary>
    public required Interaction[] Interactions { get; init; }

    public int ItemCount => ItemIds.Count;

    public int UserCount => UserIds.Count;
}

/// <summary>
/// Signal strength per event type: a purchase says more than a view. A low rating (1-2) carries no positive signal,
/// a high one (4-5) counts like a purchase. Rows without an event column count as one plain interaction.
/// Relevance in the evaluation does not use these weights: any row after the cut-off is an interaction.
/// </summary>
public static class EventWeights
{
    public static float For(string? eventName, double? rating)
    {
        if (rating is { } r)
        {
            return r >= 4 ? 3f : r >= 3 ? 1f : 0f;
        }

        return (eventName ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "purchase" or "order" or "buy" or "transaction" => 3f,
            "cart" or "addtocart" or "add-to-cart" or "add_to_cart" => 2f,
            _ => 1f,
        };
    }
}
