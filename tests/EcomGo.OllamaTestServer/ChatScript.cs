using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcomGo.OllamaTestServer;

/// <summary>
/// How <c>POST /api/chat</c> answers. Rules are tried in the order they were added; the first match answers.
/// With no match, <see cref="Fallback"/> answers, and when that is null or returns null, <see cref="DefaultReply"/>.
/// </summary>
public sealed class ChatScript
{
    private readonly object _gate = new();
    private readonly List<ChatRule> _rules = [];

    /// <summary>The reply when no rule matches and <see cref="Fallback"/> gives nothing.</summary>
    public string DefaultReply { get; set; } = "I am a scripted test model.";

    /// <summary>Arbitrary per-request logic (e.g. classify review text); null or a null result gives <see cref="DefaultReply"/>.</summary>
    public Func<ChatRequestInfo, string?>? Fallback { get; set; }

    /// <summary>Latency before answering (before the first byte of the response).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Latency between streamed chunks.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>A new rule matching when the last user message matches <paramref name="pattern"/> (regex, case-insensitive).</summary>
    public ChatRule WhenUserSays(string pattern)
    {
        var rule = new ChatRule(pattern);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>
    /// Like <see cref="WhenUserSays"/>, but tried before every rule added so far (e.g. a test's specific rule ahead of a
    /// broad rule another test left in a shared server).
    /// </summary>
    public ChatRule WhenUserSaysFirst(string pattern)
    {
        var rule = new ChatRule(pattern);
        lock (_gate)
        {
            _rules.Insert(0, rule);
        }

        return rule;
    }

    /// <summary>Removes every rule (DefaultReply, Fallback and Delay stay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    internal ChatOutcome Resolve(ChatRequestInfo info)
    {
        ChatRule[] rules;
        lock (_gate)
        {
            rules = _rules.ToArray();
        }

        foreach (var rule in rules)
        {
            if (rule.Matches(info))
            {
                return rule.Resolve(info, DefaultReply);
            }
        }

        return ChatOutcome.Text(Fallback?.Invoke(info) ?? DefaultReply);
    }
}

/// <summary>One scripted answer. Without Reply/CallTool/Fail it answers with <see cref="ChatScript.DefaultReply"/>.</summary>
public sealed class ChatRule
{
    private readonly Regex _pattern;
    private readonly List<List<(string Name, JsonElement Arguments)>> _rounds = [[]];
    private string? _model;
    private Func<ChatRequestInfo, string>? _reply;
    private Func<ChatRequestInfo, string>? _thenReply;
    private (int Status, string Error)? _failure;

    internal ChatRule(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _pattern = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Only match requests for this model ("x" and "x:latest" are the same).</summary>
    public ChatRule ForModel(string model)
    {
        _model = model;
        return this;
    }

    /// <summary>
    /// Answer with <c>message.tool_calls=[{function:{index,name,arguments}}]</c>. Call several times for parallel calls.
    /// Once role "tool" messages follow the last user message, the rule answers with <see cref="ThenReply"/>
    /// (or <see cref="Reply(string)"/>, or the default reply) instead.
    /// <paramref name="arguments"/> is serialised as is (property names unchanged); a string is taken as JSON text.
    /// </summary>
    public ChatRule CallTool(string toolName, object arguments)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        _rounds[^1].Add((toolName, ToElement(arguments)));
        return this;
    }

    /// <summary>
    /// A further round of tool calls: once the results of the previous round arrive, the model calls this tool (call again
    /// for parallel calls in the same round). After the last round the rule answers as <see cref="CallTool"/> describes.
    /// </summary>
    public ChatRule ThenCallTool(string toolName, object arguments)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        if (_rounds[^1].Count > 0)
        {
            _rounds.Add([]);
        }

        _rounds[^1].Add((toolName, ToElement(arguments)));
        return this;
    }

    private static JsonElement ToElement(object arguments) => arguments switch
    {
        null => JsonSerializer.SerializeToElement(new Dictionary<string, object>()),
        JsonElement e => e.Clone(),
        string s => JsonDocument.Parse(s).RootElement.Clone(),
        _ => JsonSerializer.SerializeToElement(arguments, arguments.GetType()),
    };

    /// <summary>After the tool result(s) arrive (role "tool" messages), answer with this text.</summary>
    public ChatRule ThenReply(Func<ChatRequestInfo, string> replyFromToolResults)
    {
        _thenReply = replyFromToolResults;
        return this;
    }

    /// <summary>Answer with this text.</summary>
    public ChatRule Reply(string text) => Reply(_ => text);

    /// <summary>Answer with text computed from the request.</summary>
    public ChatRule Reply(Func<ChatRequestInfo, string> reply)
    {
        _reply = reply;
        return this;
    }

    /// <summary>Answer with this HTTP status and <c>{"error": error}</c> (400 with "does not support tools" maps to OllamaSharp's ModelDoesNotSupportToolsException).</summary>
    public ChatRule Fail(int statusCode, string error)
    {
        _failure = (statusCode, error);
        return this;
    }

    internal bool Matches(ChatRequestInfo info) =>
        (_model is null || ModelNames.AreSame(_model, info.Model)) && _pattern.IsMatch(info.LastUserMessage);

    internal ChatOutcome Resolve(ChatRequestInfo info, string defaultReply)
    {
        if (_failure is { } f)
        {
            return ChatOutcome.Error(f.Status, f.Error);
        }

        if (_rounds[0].Count > 0)
        {
            var round = Math.Max(info.ToolRoundsSinceLastUser, info.ToolResults.Count > 0 ? 1 : 0);
            if (round < _rounds.Count)
            {
                return ChatOutcome.Tools(_rounds[round].ToArray());
            }

            if (_thenReply is not null)
            {
                return ChatOutcome.Text(_thenReply(info));
            }
        }

        return ChatOutcome.Text(_reply is not null ? _reply(info) : defaultReply);
    }
}

internal sealed record ChatOutcome(string? Content, IReadOnlyList<(string Name, JsonElement Arguments)>? ToolCalls, int? ErrorStatus, string? ErrorMessage)
{
    public static ChatOutcome Text(string content) => new(content, null, null, null);

    public static ChatOutcome Tools(IReadOnlyList<(string Name, JsonElement Arguments)> calls) => new(null, calls, null, null);

    public static ChatOutcome Error(int status, string message) => new(null, null, status, message);
}
