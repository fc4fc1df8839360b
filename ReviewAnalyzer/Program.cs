using EcomGo.ServiceDefaults.Http;
using EcomGo.ReviewAnalyzer.Apis;
using EcomGo.ReviewAnalyzer.Evaluation;
using EcomGo.ReviewAnalyzer.Extensions;

// Offline commands (no AppHost, no database): `evaluate` measures a classifier on a labelled CSV, `train-sentiment-head` trains the local one.
if (args is [EvaluationCommand.Name, ..])
{
    return await EvaluationCommand.RunAsync(args, Console.Out, Console.Error);
}

if (args is [TrainSentimentHeadCommand.Name, ..])
{
    return await TrainSentimentHeadCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // data, classifier (LLM or local), event consumer, sweep and opinion workers

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.MapDefaultEndpoints();
app.MapSentimentsApi();

app.Run();
return 0;
