using EcomGo.Recommender.Apis;
using EcomGo.Recommender.Evaluation;
using EcomGo.Recommender.Extensions;
using EcomGo.ServiceDefaults.Http;

// Offline evaluation runs without the AppHost or a database.
if (args.FirstOrDefault() == "evaluate") return await EvaluationCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // data, embedding model, product index, interaction consumers and sweep, hybrid ranking

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.MapDefaultEndpoints();
app.MapOpenApi(); // /openapi/v1.json
app.MapRecommendationsApi();

app.Run();
return 0;
