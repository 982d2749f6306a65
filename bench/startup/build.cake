// The same task graph as build/ (Compile, Test, SlowTests, Default), as a .cake script for the startup comparison.
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");

Task("Compile")
    .Description("Restore and build the solution")
    .Does(() => DotNetBuild("Recipes.sln", new DotNetBuildSettings { Configuration = configuration }));

Task("Test")
    .Description("Run the fast tests (everything not marked Category=Slow)")
    .IsDependentOn("Compile")
    .Does(() => DotNetTest("Recipes.sln", new DotNetTestSettings { Configuration = configuration, NoBuild = true, Filter = "Category!=Slow" }));

Task("SlowTests")
    .Description("Run the end-to-end tests (Category=Slow)")
    .IsDependentOn("Compile")
    .Does(() => DotNetTest("Recipes.sln", new DotNetTestSettings { Configuration = configuration, NoBuild = true, Filter = "Category=Slow" }));

Task("Default")
    .Description("Compile and run the fast tests")
    .IsDependentOn("Test");

RunTarget(target);
