using EcomGo.ServiceDefaults.Http;
using EcomGo.ReviewAnalyzer.Apis;
using EcomGo.ReviewAnalyzer.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // data, classifier (LLM or local), event consumer, sweep and opinion workers

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.MapDefaultEndpoints();
app.MapSentimentsApi();

app.Run();
