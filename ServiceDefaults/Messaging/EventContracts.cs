using System.Text.Json;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>Event type names carry their version; a breaking change gets a new name (".v2") beside the old one.</summary>
public static class EventTypes
{
    public const string ReviewCreated = "review-created.v1";
    public const string InteractionRecorded = "interaction-recorded.v1";
    public const string ShopperSignedIn = "shopper-signed-in.v1";
}

/// <summary>A review was saved by the Storefront (its text is data, never instructions).</summary>
public sealed record ReviewCreatedV1(int ReviewId, int ProductId, string? UserId, int Rating, string Title, string Text, DateTimeOffset CreatedAt);

/// <summary>A shopper viewed, carted, bought or rated a product. Exactly one of UserId / SessionId is set.</summary>
public sealed record InteractionRecordedV1(long InteractionId, string? UserId, string? SessionId, int ProductId, string Kind, int Value, DateTimeOffset OccurredAt);

/// <summary>
/// A shopper signed in: the anonymous browser session (a digest, never the cookie) now belongs to the account, so its
/// interactions count for the account's recommendations.
/// </summary>
public sealed record ShopperSignedInV1(string UserId, string SessionId, DateTimeOffset SignedInAt);

/// <summary>What travels over Redis: the outbox row's id (for idempotency), the type and the JSON payload.</summary>
public sealed record EventEnvelope(string Id, string Type, DateTimeOffset OccurredAt, JsonElement Data)
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public T GetData<T>() => Data.Deserialize<T>(SerializerOptions)
        ?? throw new JsonException($"Event {Id} of type {Type} has no data.");
}
