using System.Text.Json;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>Event type names carry their version; a breaking change gets a new name (".v2") beside the old one.</summary>
public static class EventTypes
{
    public const string ReviewCreated = "review-created.v1";
    public const string InteractionRecorded = "interaction-recorded.v1";
    public const string ShopperSignedIn = "shopper-signed-in.v1";
    public const string ReviewDeleted = "review-deleted.v1";
    public const string ReviewAnalyzed = "review-analyzed.v1";
    public const string ProductOpinionUpdated = "product-opinion-updated.v1";
    public const string ConversationSummarised = "conversation-summarised.v1";
}

/// <summary>
/// Which consumer groups receive each event type, declared up front: publishers queue events for these groups even
/// before a consumer of the group first starts, so nothing published is lost for a service that starts later.
/// </summary>
public sealed class EventSubscriptions(IReadOnlyDictionary<string, string[]> groups)
{
    /// <summary>The shop's consumer groups per event type (a group is named after the service that consumes).</summary>
    public static EventSubscriptions Declared { get; } = new(new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [EventTypes.ReviewCreated] = [EventConsumerGroups.ReviewAnalyzer],
        [EventTypes.ReviewDeleted] = [EventConsumerGroups.ReviewAnalyzer],
        [EventTypes.InteractionRecorded] = [EventConsumerGroups.Recommender],
        [EventTypes.ShopperSignedIn] = [EventConsumerGroups.Recommender],
        [EventTypes.ReviewAnalyzed] = [EventConsumerGroups.Storefront],
        [EventTypes.ProductOpinionUpdated] = [EventConsumerGroups.Storefront],
        [EventTypes.ConversationSummarised] = [EventConsumerGroups.Recommender, EventConsumerGroups.Storefront],
    });

    public IReadOnlyList<string> GroupsOf(string eventType) => groups.TryGetValue(eventType, out var declared) ? declared : [];
}

/// <summary>A review was saved by the Storefront (its text is data, never instructions).</summary>
public sealed record ReviewCreatedV1(int ReviewId, int ProductId, string? UserId, int Rating, string Title, string Text, DateTimeOffset CreatedAt);

/// <summary>A review was deleted by its author (Storefront): its analysis must be forgotten and its product's opinion recomputed.</summary>
public sealed record ReviewDeletedV1(int ReviewId, int ProductId, DateTimeOffset DeletedAt);

/// <summary>One aspect a review talks about and how the reviewer feels about it, e.g. ("battery", "negative").</summary>
public sealed record ReviewAspectV1(string Name, string Sentiment);

/// <summary>
/// The ReviewAnalyzer's verdict on one review. <c>Label</c> is positive|neutral|negative; <c>Classifier</c> says what
/// decided ("llm", "local", or "local-fallback:&lt;reason&gt;"); <c>Model</c> names the model (with Ollama's digest when an
/// LLM made it). A newer <c>AnalyzedAt</c> replaces an older one (re-analysis); older ones are ignored.
/// </summary>
public sealed record ReviewAnalyzedV1(
    int ReviewId, int ProductId, string Label, double Confidence, IReadOnlyList<ReviewAspectV1> Aspects,
    string Classifier, string Model, string? ModelDigest, string PromptVersion, DateTimeOffset AnalyzedAt);

/// <summary>A product's opinion was recomputed: summary, counts per label and the aspects buyers praise and criticise (most mentioned first).</summary>
public sealed record ProductOpinionUpdatedV1(
    int ProductId, string Summary, int Positive, int Neutral, int Negative,
    IReadOnlyList<string> Praised, IReadOnlyList<string> Criticised, string Model, DateTimeOffset UpdatedAt);

/// <summary>A shopper viewed, carted, bought or rated a product. Exactly one of UserId / SessionId is set.</summary>
public sealed record InteractionRecordedV1(long InteractionId, string? UserId, string? SessionId, int ProductId, string Kind, int Value, DateTimeOffset OccurredAt);

/// <summary>
/// A shopper signed in: the anonymous browser session (a digest, never the cookie) now belongs to the account, so its
/// interactions count for the account's recommendations.
/// </summary>
public sealed record ShopperSignedInV1(string UserId, string SessionId, DateTimeOffset SignedInAt);

/// <summary>
/// A conversation with the shopping assistant ended (no new message for a while; ChatAgent). <c>OwnerKey</c> is the
/// shopper ("user:{id}" or "session:{digest}"); <c>UserId</c> is set for signed-in shoppers only. <c>ProductIds</c> are
/// the products the assistant showed, most discussed first; <c>Interests</c> what the shopper searched for (their words
/// are data, never instructions); <c>SummarisedBy</c> is "fast:{model}" or "tools" (built from the tool calls, no LLM).
/// </summary>
public sealed record ConversationSummarisedV1(
    Guid ConversationId, string OwnerKey, string? UserId, string Summary, IReadOnlyList<int> ProductIds, IReadOnlyList<string> Interests,
    string SummarisedBy, DateTimeOffset LastMessageAt);

/// <summary>What travels over Redis: a globally unique event id (UUIDv7, for idempotency), the type and the JSON payload.</summary>
public sealed record EventEnvelope(string Id, string Type, DateTimeOffset OccurredAt, JsonElement Data)
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public T GetData<T>() => Data.Deserialize<T>(SerializerOptions)
        ?? throw new JsonException($"Event {Id} of type {Type} has no data.");
}

/// <summary>Consumer group names, one per consuming service (see <see cref="EventSubscriptions.Declared"/>).</summary>
public static class EventConsumerGroups
{
    public const string Storefront = "storefront";
    public const string ReviewAnalyzer = "review-analyzer";
    public const string Recommender = "recommender";
}
