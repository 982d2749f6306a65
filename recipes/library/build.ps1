#!/usr/bin/env pwsh
# Runs this repository's build (build/Build.csproj) with every argument given, e.g. ./build.ps1 --target=Test.
# The build program is compiled only when one of its inputs changed; otherwise it starts at once, with no MSBuild.
# A build/ that is still the template's is not compiled at all: the Recipes package carries that program ready to run.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$project = 'build/Build.csproj'
# Everything that can change the build program. Missing entries are ignored.
$inputs = @('build', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'global.json', 'NuGet.config')
$out = '.build/bin'
$stamp = '.build/inputs.ps1.sha1'

# A feed the run names (--feed=... or RECIPES_FEED, as the build program reads them) is also a source of the build
# program's own packages, so that a first run with --feed works whatever NuGet.config names.
$feed = $env:RECIPES_FEED
foreach ($argument in $args) {
    if ("$argument".StartsWith('--feed=')) { $feed = "$argument".Substring('--feed='.Length) }
}
$sources = @()
if ($feed) {
    # A NuGet.config source that is missing (its default %HOME%/.recipes/feed on a new machine) must not fail the restore then.
    $sources = @("-p:RestoreAdditionalProjectSources=$feed", '-p:RestoreIgnoreFailedSources=true', '-p:NoWarn=NU1801')
}

# A file of build/ as the template wrote it: line endings and the Recipes version do not count.
function Get-TemplateText([string] $path) {
    "$(Get-Content -Raw $path)".Replace("`r", '') -replace '<RecipesVersion([^>]*)>[^<]*</RecipesVersion>', '<RecipesVersion$1></RecipesVersion>'
}

# The folder of the Recipes package that carries build/'s program ready to run, when build/ holds only the
# template's two files, unchanged but for the version, and restore already brought that version and what it needs.
function Find-TemplateProgram([string] $packages) {
    if (-not (Test-Path 'build')) { return $null }
    $files = @(Get-ChildItem -Path 'build' -Recurse -File -Force | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
        ForEach-Object { [System.IO.Path]::GetRelativePath('build', $_.FullName).Replace('\', '/') } | Sort-Object -CaseSensitive)
    if (($files -join ' ') -cne 'Build.csproj Program.cs') { return $null }
    $version = $env:RecipesVersion
    if (-not $version -and ((Get-Content -Raw $project) -match '<RecipesVersion[^>]*>([^<]*)</RecipesVersion>')) { $version = $Matches[1] }
    # A range or a floating version needs restore.
    if ("$version" -notmatch '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$') { return $null }
    $package = Join-Path (Join-Path $packages 'recipes') $version.ToLowerInvariant()
    if (-not (Test-Path "$package/.nupkg.metadata") -or -not (Test-Path "$package/tools/program/packages.txt")) { return $null }
    foreach ($file in 'Build.csproj', 'Program.cs') {
        if ((Get-TemplateText "build/$file") -cne (Get-TemplateText "$package/tools/program/template/$file")) { return $null }
    }
    foreach ($dependency in Get-Content "$package/tools/program/packages.txt") {
        if ($dependency -and -not (Test-Path (Join-Path $packages $dependency))) { return $null }
    }
    return $package
}

Push-Location $root
try {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $package = Find-TemplateProgram $packages
    if ($package) {
        & dotnet exec --additionalprobingpath $packages "$package/tools/program/Recipes.dll" @args
        exit $LASTEXITCODE
    }

    # Path, size and modification time of every input file: catches edits, additions and deletions.
    $lines = foreach ($entry in $inputs) {
        if (-not (Test-Path $entry)) { continue }
        Get-ChildItem -Path $entry -Recurse -File -Force |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
            ForEach-Object {
                $relative = [System.IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/')
                "$relative $($_.Length) $($_.LastWriteTimeUtc.Ticks)"
            }
    }
    $text = (($lines | Sort-Object -CaseSensitive) -join "`n")
    $sha = [System.Security.Cryptography.SHA1]::Create()
    $current = [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).Replace('-', '').ToLowerInvariant()

    $previous = if (Test-Path $stamp) { (Get-Content $stamp -Raw).Trim() } else { '' }
    if (-not (Test-Path "$out/Build.dll") -or $previous -ne $current) {
        [Console]::Error.WriteLine("Compiling the build program ($project)...")
        Remove-Item $stamp -ErrorAction SilentlyContinue
        $restore = & dotnet restore $project @sources --nologo --verbosity quiet 2>&1
        if ($LASTEXITCODE -ne 0) {
            # NuGet's wall of text names the cause once per source and project; the first error is enough.
            $cause = $restore | ForEach-Object { if ("$_" -match 'error (NU\d+: .*?)( \[[^\]]*\])?$') { $Matches[1] } } | Select-Object -First 1
            if (-not $cause) { $cause = 'dotnet restore failed' }
            [Console]::Error.WriteLine("error: could not restore $project ($cause); name the feed that holds the Recipes package in NuGet.config, or run ./build.ps1 --feed=<folder or URL of that feed>.")
            exit 1
        }
        & dotnet build $project --no-restore --configuration Release --nologo --verbosity quiet -clp:NoSummary -o $out | Out-Host
        if ($LASTEXITCODE -ne 0) {
            [Console]::Error.WriteLine("error: could not compile $project; fix the errors above and run ./build.ps1 again.")
            exit 1
        }
        New-Item -ItemType Directory -Force -Path (Split-Path $stamp) | Out-Null
        Set-Content -Path $stamp -Value $current -NoNewline
    }

    & dotnet "$out/Build.dll" @args
    exit $LASTEXITCODE
}
finally {
    Pop-Location
}
