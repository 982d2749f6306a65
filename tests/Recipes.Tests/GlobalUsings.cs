// The shared test helpers' one home (Support/), found by a test anywhere without a using of its own.
global using Recipes.Tests.Support;
