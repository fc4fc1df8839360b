using System.Text.Json;

namespace EcomGo.OllamaTestServer;

/// <summary>One HTTP request received by the <see cref="OllamaTestServer"/>.</summary>
public sealed record RecordedRequest(string Method, string Path, string Body, DateTimeOffset Timestamp);

/// <summary>One message of a chat request (tool calls of assistant messages are in <see cref="ToolCallNames"/>).</summary>
public sealed record ChatMessageInfo(string Role, string Content)
{
    /// <summary>Names of the tools an assistant message called (empty for other messages).</summary>
    public IReadOnlyList<string> ToolCallNames { get; init; } = [];
}

/// <summary>What a scripted chat rule or fallback sees of a <c>POST /api/chat</c> request.</summary>
public sealed record ChatRequestInfo(
    string Model,
    IReadOnlyList<ChatMessageInfo> Messages,
    IReadOnlyList<string> ToolNames,
    string? Format,
    JsonElement Raw)
{
    /// <summary>Content of the last message with role "user" ("" when there is none).</summary>
    public string LastUserMessage
    {
        get
        {
            var index = LastUserIndex;
            return index >= 0 ? Messages[index].Content : string.Empty;
        }
    }

    /// <summary>Contents of the role "tool" messages after the last user message, in order (raw, as sent).</summary>
    public IReadOnlyList<string> ToolResults =>
        Messages.Skip(LastUserIndex + 1)
            .Where(m => string.Equals(m.Role, "tool", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Content)
            .ToArray();

    /// <summary>
    /// Like <see cref="ToolResults"/>, but unwrapped: OllamaSharp sends a tool result as
    /// <c>{"CallId": "...", "Result": value}</c>; this gives the value (a string as is, anything else as JSON text).
    /// Contents that are not such an envelope are returned unchanged.
    /// </summary>
    public IReadOnlyList<string> ToolResultValues => ToolResults.Select(UnwrapToolResult).ToArray();

    /// <summary>Assistant messages with tool calls after the last user message: how many tool rounds this turn has had.</summary>
    public int ToolRoundsSinceLastUser =>
        Messages.Skip(LastUserIndex + 1).Count(m => string.Equals(m.Role, "assistant", StringComparison.OrdinalIgnoreCase) && m.ToolCallNames.Count > 0);

    /// <summary>True when the request asked for streaming (the default when "stream" is absent).</summary>
    public bool Stream =>
        Raw.ValueKind != JsonValueKind.Object
        || !Raw.TryGetProperty("stream", out var s)
        || s.ValueKind != JsonValueKind.False;

    private int LastUserIndex
    {
        get
        {
            for (var i = Messages.Count - 1; i >= 0; i--)
            {
                if (string.Equals(Messages[i].Role, "user", StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private static string UnwrapToolResult(string content)
    {
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (string.Equals(property.Name, "result", StringComparison.OrdinalIgnoreCase))
                    {
                        return property.Value.ValueKind == JsonValueKind.String
                            ? property.Value.GetString() ?? string.Empty
                            : property.Value.GetRawText();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the content is the result
        }

        return content;
    }
}
