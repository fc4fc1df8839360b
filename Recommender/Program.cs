using EcomGo.Recommender.Apis;
using EcomGo.Recommender.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // data, embedding model, product index, interaction consumers and sweep, hybrid ranking

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi(); // /openapi/v1.json
app.MapRecommendationsApi();

app.Run();
