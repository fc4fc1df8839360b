using System.Diagnostics;
using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TestServer = EcomGo.OllamaTestServer.OllamaTestServer;

namespace EcomGo.IntegrationTests.ServiceDefaults;

/// <summary>The one-line model registration every service uses, against the Ollama-compatible test server.</summary>
public sealed class AiModelRegistrationTests : IAsyncLifetime
{
    private TestServer _ollama = null!;

    public async Task InitializeAsync()
    {
        _ollama = await TestServer.StartAsync();
        _ollama.AddModel("llama3.2:1b");
        _ollama.AddModel("all-minilm");
    }

    public async Task DisposeAsync() => await _ollama.DisposeAsync();

    [Fact]
    public async Task A_chat_model_connection_string_becomes_a_traced_IChatClient_with_token_counts()
    {
        _ollama.Chat.WhenUserSays("hello").Reply("Hello from the fast model");
        using var host = BuildHost(("fast", $"Endpoint={_ollama.Endpoint};Model=llama3.2:1b"), builder => builder.AddOllamaChatClient("fast"));

        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Experimental.Microsoft.Extensions.AI", StringComparison.Ordinal),
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var client = host.Services.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("hello there");

        Assert.Equal("Hello from the fast model", response.Text);
        Assert.Same(client, host.Services.GetRequiredKeyedService<IChatClient>("fast"));
        var span = Assert.Single(spans);
        Assert.Equal("llama3.2:1b", span.GetTagItem("gen_ai.request.model"));
        Assert.True(Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens")) > 0);
        Assert.True(Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens")) > 0);
        Assert.Contains(_ollama.Requests, r => r.Path == "/api/chat" && r.Body.Contains("hello there"));
    }

    [Fact]
    public async Task Without_an_Ollama_endpoint_there_is_no_chat_client_and_embeddings_run_in_process()
    {
        using var host = BuildHost(
            [("fast", "Model=llama3.2:1b"), ("embedding", "Model=all-minilm")],
            builder =>
            {
                Assert.False(builder.AddOllamaChatClient("fast").IsAvailable);
                builder.AddOllamaEmbeddingGenerator("embedding");
            });

        Assert.Null(host.Services.GetService<IChatClient>());
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var vectors = await generator.GenerateAsync(["red running shoes", "crimson sneakers for jogging", "stainless steel kitchen knife"]);

        Assert.All(vectors, v => Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, v.Vector.Length));
        var shoes = vectors[0].Vector.Span;
        Assert.True(Dot(shoes, vectors[1].Vector.Span) > Dot(shoes, vectors[2].Vector.Span) + 0.3f);
        Assert.Empty(_ollama.Requests);
    }

    [Fact]
    public async Task An_embedding_connection_string_with_an_endpoint_embeds_through_Ollama()
    {
        using var host = BuildHost(("embedding", $"Endpoint={_ollama.Endpoint};Model=all-minilm"), builder => builder.AddOllamaEmbeddingGenerator("embedding"));

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedding = await generator.GenerateAsync(["trail running shoe"]);

        Assert.Equal(384, embedding[0].Vector.Length);
        Assert.Contains(_ollama.Requests, r => r.Path == "/api/embed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Endpoint=http://localhost:11434")]
    [InlineData("Endpoint=not a url;Model=x")]
    public void A_bad_connection_string_fails_at_start_up_with_a_clear_message(string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BuildHost(("fast", connectionString), builder => builder.AddOllamaChatClient("fast")));
        Assert.Contains("'fast'", error.Message);
    }

    private static IHost BuildHost((string Name, string Value) connection, Action<HostApplicationBuilder> configure) =>
        BuildHost([connection], configure);

    private static IHost BuildHost((string Name, string Value)[] connections, Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        foreach (var (name, value) in connections)
        {
            builder.Configuration[$"ConnectionStrings:{name}"] = value;
        }

        configure(builder);
        return builder.Build();
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
