using EcomGo.Benchmarks;

// Usage: dotnet run -c Release --project tests/EcomGo.Benchmarks -- <benchmark> [options]
//   chat       the chat stack's own overhead per turn and 50 concurrent conversations (scripted model with a fixed delay)
//   chat-eval  the shipped chat scenarios through the evaluation command with a naive scripted "model" (pipeline floor)
//   recommender  the Recommender's endpoints at 10,000 products and 1,000 shoppers against the bare pgvector kNN query,
//                embedding throughput, and the time from an interaction event to a changed list
//   digest     one "send digests now" over every demo shopper: run time, delivery time, emails sent (then a second, idempotent run)
return args switch
{
    ["chat", .. var rest] => await ChatOverheadBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["chat-eval", .. var rest] => await ChatEvaluationBaseline.RunAsync(BenchmarkArguments.Parse(rest)),
    ["recommender", .. var rest] => await RecommenderBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["digest", .. var rest] => await DigestBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: EcomGo.Benchmarks chat [--turns N] [--concurrent N] [--model-delay-ms N] [--report file.json]");
    Console.Error.WriteLine("       EcomGo.Benchmarks chat-eval [--repeat K] [--scenarios file.json] [--report file.json]");
    Console.Error.WriteLine("       EcomGo.Benchmarks recommender [--products N] [--shoppers N] [--requests N] [--concurrency N] [--report file.json]");
    Console.Error.WriteLine("       EcomGo.Benchmarks digest [--report file.json]");
    return 2;
}
