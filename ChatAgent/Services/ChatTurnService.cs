using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EcomGo.ChatAgent.Data;
using EcomGo.ChatAgent.Tools;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using TextContent = Microsoft.Extensions.AI.TextContent;
using FunctionInvocationContext = Microsoft.Extensions.AI.FunctionInvocationContext;

namespace EcomGo.ChatAgent.Services;

/// <summary>One event of a turn's stream: an SSE event name from <see cref="ChatEventNames"/> and its payload record.</summary>
public sealed record ChatStreamEvent(string Name, object Payload);

/// <summary>
/// Runs one chat turn and streams it as <see cref="ChatStreamEvent"/>s. The turn runs on its own task and writes into a
/// channel, so every failure (model down, timeout, a tool crashing) becomes an error event instead of a broken stream.
/// </summary>
public sealed class ChatTurnService(
    IServiceScopeFactory scopes,
    IOptions<ChatAgentOptions> options,
    ChatTelemetry telemetry,
    ManufacturerDirectory manufacturers,
    ILoggerFactory loggerFactory,
    ILogger<ChatTurnService> logger)
{
    /// <summary>Marks a tool result that is an error: the model reads it, the stream reports the tool as failed.</summary>
    public const string ToolErrorPrefix = "ERROR: ";

    public const string LeakRefusal = "I can't share that. I'm happy to help you find products in our shop, though.";

    public IAsyncEnumerable<ChatStreamEvent> RunAsync(string owner, Guid conversationId, string message, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ChatStreamEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                await ProduceAsync(owner, conversationId, message, channel.Writer, cancellationToken);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);
        return channel.Reader.ReadAllAsync(cancellationToken);
    }

    private async Task ProduceAsync(string owner, Guid conversationId, string message, ChannelWriter<ChatStreamEvent> events, CancellationToken ct)
    {
        var opts = options.Value;
        using var activity = telemetry.ActivitySource.StartActivity("chat turn");
        activity?.SetTag("chat.prompt_version", SystemPrompt.Version);
        using var scope = scopes.CreateScope();
        var sp = scope.ServiceProvider;
        var chat = sp.GetService<IChatClient>();
        var mode = chat is null ? "no-llm" : "llm";
        activity?.SetTag("chat.mode", mode);

        var turn = new TurnState(events) { ShopperKey = owner };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(opts.TurnTimeout);
        string outcome = "completed";
        try
        {
            var store = sp.GetRequiredService<ConversationStore>();
            var conversation = await store.FindAsync(owner, conversationId, timeout.Token)
                               ?? throw new InvalidOperationException("The conversation vanished before its turn ran.");
            turn.Write(ChatEventNames.Conversation, new ChatConversationEvent(conversation.Id, chat is not null));

            var catalog = sp.GetRequiredService<StorefrontCatalogClient>();
            var known = await manufacturers.GetAllAsync(timeout.Token);
            if (chat is null)
            {
                await new NoLlmResponder(catalog, sp.GetRequiredService<RecommenderClient>(), turn.Evidence, opts, known).RespondAsync(message, turn, timeout.Token);
            }
            else
            {
                await RunModelAsync(chat, sp, conversation, turn, timeout.Token);
            }

            turn.Release(turn.Guard.Flush());
            if (turn.Guard.Leaked)
            {
                outcome = "refused-leak";
                turn.Release((turn.Answer.Length > 0 ? "\n\n" : "") + LeakRefusal);
            }

            var answer = turn.Answer.ToString();
            var grounding = GroundingChecker.Check(answer, turn.Evidence, known.Select(m => m.Name).ToArray());
            turn.EmitNewCards();
            RecordGrounding(grounding, activity);

            var saved = await store.AddAssistantMessageAsync(conversation.Id, answer, turn.ToolEvents, turn.Cards, turn.Usage, grounding.Grounded,
                SystemPrompt.Version, CancellationToken.None);
            var totalMs = Stopwatch.GetElapsedTime(turn.Started).TotalMilliseconds;
            telemetry.TurnDuration.Record(totalMs, new KeyValuePair<string, object?>("mode", mode));
            if (turn.FirstTokenMs is { } firstTokenMs)
            {
                telemetry.FirstToken.Record(firstTokenMs, new KeyValuePair<string, object?>("mode", mode));
            }

            turn.Write(ChatEventNames.Completed, new ChatCompletedEvent(
                conversation.Id, saved.Id, answer, turn.Usage, new ChatTimings(turn.FirstTokenMs ?? totalMs, totalMs), grounding,
                turn.ToolEvents.Select(t => t.Name).ToArray(), SystemPrompt.Version, chat is not null));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The shopper pressed stop or left: keep what they saw.
            outcome = "stopped";
            await SavePartialAsync(sp, conversationId, turn, "stopped");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome = "timeout";
            await SavePartialAsync(sp, conversationId, turn, "timeout");
            turn.Write(ChatEventNames.Error, new ChatErrorEvent(ChatErrorCodes.Timeout,
                $"The assistant took longer than {opts.TurnTimeout.TotalSeconds:0} seconds and was stopped. Please try again or ask a simpler question."));
        }
        catch (Exception e) when (IsModelFailure(e))
        {
            outcome = "model-unavailable";
            logger.LogWarning(e, "The chat model failed during a turn");
            turn.Write(ChatEventNames.Error, new ChatErrorEvent(ChatErrorCodes.ModelUnavailable,
                "The AI assistant is unavailable right now. You can still search the catalog."));
        }
        catch (Exception e)
        {
            outcome = "error";
            logger.LogError(e, "Chat turn failed");
            turn.Write(ChatEventNames.Error, new ChatErrorEvent(ChatErrorCodes.Failed, "Something went wrong while answering. Please try again."));
        }
        finally
        {
            telemetry.Turns.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("mode", mode));
            activity?.SetTag("chat.outcome", outcome);
        }
    }

    /// <summary>
    /// One turn over a given history with nothing stored (the evaluation command): the same prompt, tools, guard and
    /// limits as a shopper's turn. The returned state holds the answer, tool calls, cards, usage and evidence.
    /// </summary>
    public async Task<TurnState> RunDetachedTurnAsync(IServiceProvider sp, IList<ChatMessage> history, CancellationToken ct)
    {
        var chat = sp.GetRequiredService<IChatClient>();
        var turn = new TurnState(Channel.CreateUnbounded<ChatStreamEvent>().Writer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.TurnTimeout);
        await StreamModelAsync(chat, sp, history, turn, timeout.Token);
        turn.Release(turn.Guard.Flush());
        if (turn.Guard.Leaked)
        {
            turn.Release((turn.Answer.Length > 0 ? "\n\n" : "") + LeakRefusal);
        }

        return turn;
    }

    /// <summary>
    /// Tools: Semantic Kernel plugins exposed to MEAI's <see cref="FunctionInvokingChatClient"/> as AIFunctions
    /// (<c>KernelPlugin.AsAIFunctions</c>) rather than SK's own invocation loop over the IChatClient
    /// (<c>UseKernelFunctionInvocation</c>). Why: the streamed updates then carry the function calls and results, so the
    /// shopper sees "searching products…" as it happens; the iteration cap and the unknown-tool handling are MEAI's; and
    /// the model call stays the one ServiceDefaults instruments (spans with token counts).
    /// </summary>
    private async Task RunModelAsync(IChatClient chat, IServiceProvider sp, Conversation conversation, TurnState turn, CancellationToken ct)
    {
        var history = await sp.GetRequiredService<ConversationHistory>().BuildAsync(conversation, ct);
        await StreamModelAsync(chat, sp, history, turn, ct);
    }

    private async Task StreamModelAsync(IChatClient chat, IServiceProvider sp, IList<ChatMessage> history, TurnState turn, CancellationToken ct)
    {
        var opts = options.Value;
        var kernel = CreateKernel(sp, turn, opts);
        var tools = kernel.Plugins.SelectMany(plugin => plugin.AsAIFunctions(kernel)).Cast<AITool>().ToList();

        using var client = new FunctionInvokingChatClient(chat, loggerFactory, sp)
        {
            MaximumIterationsPerRequest = opts.MaxToolIterations,
            AllowConcurrentInvocation = true,
            FunctionInvoker = InvokeToolAsync,
        };
        var chatOptions = new ChatOptions
        {
            Tools = tools,
            ToolMode = ChatToolMode.Auto,
            Temperature = 0.2f,
            MaxOutputTokens = opts.MaxOutputTokens,
        };

        var callNames = new Dictionary<string, (string Name, string Arguments)>();
        await foreach (var update in client.GetStreamingResponseAsync(history, chatOptions, ct))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case FunctionCallContent call:
                        var arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), JsonSerializerOptions.Web);
                        callNames[call.CallId] = (call.Name, arguments);
                        turn.Write(ChatEventNames.ToolStarted, new ChatToolEvent(call.CallId, call.Name, arguments));
                        break;
                    case FunctionResultContent result:
                        var (name, args) = callNames.TryGetValue(result.CallId, out var known) ? known : ("unknown", "{}");
                        var error = result.Exception?.Message
                                    ?? (result.Result is string toolText && toolText.StartsWith(ToolErrorPrefix, StringComparison.Ordinal) ? toolText[ToolErrorPrefix.Length..]
                                        : result.Result is string notFound && notFound.StartsWith("Error:", StringComparison.Ordinal) ? notFound : null);
                        var finished = new ChatToolEvent(result.CallId, name, args, error);
                        turn.ToolEvents.Add(finished);
                        telemetry.ToolCalls.Add(1, new KeyValuePair<string, object?>("tool", name), new KeyValuePair<string, object?>("outcome", error is null ? "ok" : "error"));
                        turn.Write(ChatEventNames.ToolFinished, finished);
                        break;
                    case UsageContent usage:
                        turn.AddUsage(usage.Details);
                        break;
                    case TextContent text when !string.IsNullOrEmpty(text.Text):
                        turn.Release(turn.Guard.Push(text.Text));
                        break;
                }
            }

            if (turn.Guard.Leaked)
            {
                logger.LogWarning("The model quoted its instructions; the answer was stopped");
                return;
            }
        }
    }

    private static Kernel CreateKernel(IServiceProvider sp, TurnState turn, ChatAgentOptions opts)
    {
        var catalog = sp.GetRequiredService<StorefrontCatalogClient>();
        var recommender = sp.GetRequiredService<RecommenderClient>();
        var evidence = turn.Evidence;
        var kernel = new Kernel(sp);
        kernel.Plugins.AddFromObject(new ProductsPlugin(catalog, recommender, evidence, opts), "products");
        kernel.Plugins.AddFromObject(new ManufacturersPlugin(catalog, evidence, opts), "manufacturers");
        kernel.Plugins.AddFromObject(new PromotionsPlugin(catalog, evidence), "promotions");
        kernel.Plugins.AddFromObject(new ReviewsPlugin(sp.GetRequiredService<ReviewAnalyzerOpinionClient>(), catalog, evidence), "reviews");
        kernel.Plugins.AddFromObject(new RecommendationsPlugin(recommender, catalog, evidence, opts, turn.ShopperKey), "recommendations");
        return kernel;
    }

    /// <summary>A bad argument or an unreachable service is an answer for the model to work with, never an exception for the shopper.</summary>
    private async ValueTask<object?> InvokeToolAsync(FunctionInvocationContext context, CancellationToken ct)
    {
        try
        {
            return await context.Function.InvokeAsync(context.Arguments, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var inner = e is KernelException or AggregateException && e.InnerException is not null ? e.InnerException : e;
            switch (inner)
            {
                case ToolArgumentException or ShopApiException or ArgumentException or FormatException or JsonException or KernelException:
                    return ToolErrorPrefix + inner.Message;
                default:
                    logger.LogWarning(e, "Tool {Tool} failed", context.Function.Name);
                    return ToolErrorPrefix + "The tool failed. Try other arguments, or tell the shopper the information is not available right now.";
            }
        }
    }

    private void RecordGrounding(ChatGrounding grounding, Activity? activity)
    {
        activity?.SetTag("chat.grounding.grounded", grounding.Grounded);
        activity?.SetTag("chat.grounding.unbacked_prices", grounding.UnbackedPrices.Count);
        if (grounding.UnbackedPrices.Count > 0)
        {
            telemetry.UnbackedPrices.Add(grounding.UnbackedPrices.Count);
            logger.LogWarning("Answer mentions prices no tool returned: {Prices}", string.Join(", ", grounding.UnbackedPrices));
        }

        if (!grounding.Grounded)
        {
            telemetry.UngroundedAnswers.Add(1);
        }
    }

    private async Task SavePartialAsync(IServiceProvider sp, Guid conversationId, TurnState turn, string reason)
    {
        var answer = turn.Answer.ToString() + turn.Guard.Flush();
        if (answer.Length == 0)
        {
            return;
        }

        try
        {
            await sp.GetRequiredService<ConversationStore>().AddAssistantMessageAsync(conversationId, answer + $" [{reason}]", turn.ToolEvents, turn.Cards,
                turn.Usage, null, SystemPrompt.Version, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not save a partial answer");
        }
    }

    private static bool IsModelFailure(Exception e) =>
        e is HttpRequestException || e.GetType().Namespace?.StartsWith("OllamaSharp", StringComparison.Ordinal) == true
        || (e.InnerException is not null && IsModelFailure(e.InnerException));

    /// <summary>The state of one turn: what was streamed, which tools ran, what they returned.</summary>
    public sealed class TurnState(ChannelWriter<ChatStreamEvent> events)
    {
        private readonly HashSet<int> _cardIds = [];
        private int _sequence;
        private long _input;
        private long _output;

        public long Started { get; } = Stopwatch.GetTimestamp();
        public TurnEvidence Evidence { get; } = new();

        /// <summary>The authenticated shopper the turn is for (null in the evaluation command): the only identity a tool may use.</summary>
        public string? ShopperKey { get; init; }
        public PromptLeakGuard Guard { get; } = new();
        public StringBuilder Answer { get; } = new();
        public List<ChatToolEvent> ToolEvents { get; } = [];
        public List<ChatProductCard> Cards { get; } = [];
        public double? FirstTokenMs { get; private set; }
        public ChatUsage Usage => new(_input, _output, _input + _output);

        public void Write(string name, object payload) => events.TryWrite(new ChatStreamEvent(name, payload));

        public void ToolStarted(string name, string arguments) => Write(ChatEventNames.ToolStarted, new ChatToolEvent($"local-{ToolEvents.Count + 1}", name, arguments));

        public void ToolFinished(string name, string arguments, string? error)
        {
            var finished = new ChatToolEvent($"local-{ToolEvents.Count + 1}", name, arguments, error);
            ToolEvents.Add(finished);
            Write(ChatEventNames.ToolFinished, finished);
        }

        /// <summary>Streams text the guard let through; product cards follow as soon as the answer names a product.</summary>
        public void Release(string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            FirstTokenMs ??= Stopwatch.GetElapsedTime(Started).TotalMilliseconds;
            Answer.Append(text);
            Write(ChatEventNames.Delta, new ChatDeltaEvent(++_sequence, text));
            EmitNewCards();
        }

        public void EmitNewCards()
        {
            foreach (var product in GroundingChecker.MentionedProducts(Answer.ToString(), Evidence))
            {
                if (_cardIds.Add(product.Id))
                {
                    var card = GroundingChecker.ToCard(product);
                    Cards.Add(card);
                    Write(ChatEventNames.ProductCard, card);
                }
            }
        }

        public void AddUsage(UsageDetails? usage)
        {
            _input += usage?.InputTokenCount ?? 0;
            _output += usage?.OutputTokenCount ?? 0;
        }
    }
}
