# mde-onboarding: read-only prerequisite check for Windows Server 2012 R2 and 2016 before MDE onboarding.
# Runs through Azure Run Command (as SYSTEM) and prints exactly one line of JSON whose first field is
# "check":"mde-prereq". It reads registry values, file versions, installed hotfixes, the Windows-Defender feature
# state and the WinDefend service, and opens TCP connections to the Defender for Endpoint service. It changes
# nothing on the machine. Compatible with Windows PowerShell 4.0 (2012 R2 as shipped) and 5.1.
$ErrorActionPreference = 'SilentlyContinue'
$ProgressPreference = 'SilentlyContinue'

function Get-RegValue([string]$path, [string]$name) {
    $item = Get-ItemProperty -LiteralPath $path -Name $name -ErrorAction SilentlyContinue
    if ($null -ne $item) { return $item.$name }
    return $null
}

# Release and update build revision: build 9600 is 2012 R2, 14393 is 2016.
$currentVersion = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$buildNumber = [string](Get-RegValue $currentVersion 'CurrentBuildNumber')
$ubr = Get-RegValue $currentVersion 'UBR'
$os = 'other'
if ($buildNumber -eq '9600') { $os = '2012R2' } elseif ($buildNumber -eq '14393') { $os = '2016' }
$build = $buildNumber
if ($null -ne $ubr) { $build = "$buildNumber.$ubr" }

# 2012 R2 updates, checked the way Microsoft's installer does (microsoft/mdefordownlevelserver Install.ps1):
# KB2999226 (Universal C Runtime) provides ucrtbase.dll; KB3080149 (telemetry) brings tdh.dll 6.3.9600.17958.
$hotfixes = @()
foreach ($kb in @('KB2999226', 'KB3080149')) {
    if (Get-HotFix -Id $kb -ErrorAction SilentlyContinue) { $hotfixes += $kb }
}
$system32 = Join-Path $env:SystemRoot 'System32'
$ucrt = Test-Path -LiteralPath (Join-Path $system32 'ucrtbase.dll') -PathType Leaf
$tdhVersion = $null
$tdh = Join-Path $system32 'tdh.dll'
if (Test-Path -LiteralPath $tdh -PathType Leaf) {
    $info = [Diagnostics.FileVersionInfo]::GetVersionInfo($tdh)
    $tdhVersion = '{0}.{1}.{2}.{3}' -f $info.FileMajorPart, $info.FileMinorPart, $info.FileBuildPart, $info.FilePrivatePart
}

# Install dates of the newest servicing stack (SSU) and rollup/cumulative (LCU) packages in the component store.
# An update cannot be installed before its release, so a date before the required release date proves it too old.
function Get-NewestPackageDate([string]$prefix) {
    $newest = $null
    $root = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages'
    foreach ($key in @(Get-ChildItem -LiteralPath $root -ErrorAction SilentlyContinue)) {
        if (-not $key.PSChildName.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase)) { continue }
        $high = $key.GetValue('InstallTimeHigh')
        $low = $key.GetValue('InstallTimeLow')
        if ($null -eq $high -or $null -eq $low -or $key.GetValue('CurrentState') -ne 112) { continue }
        $fileTime = ([int64]$high -band 4294967295) * 4294967296 + ([int64]$low -band 4294967295)
        $date = [DateTime]::FromFileTimeUtc($fileTime)
        if ($null -eq $newest -or $date -gt $newest) { $newest = $date }
    }
    if ($null -eq $newest) { return $null }
    return $newest.ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture)
}
$ssuDate = Get-NewestPackageDate 'Package_for_ServicingStack'
$lcuDate = Get-NewestPackageDate 'Package_for_RollupFix'
if ($null -eq $lcuDate) {
    $latest = Get-HotFix -ErrorAction SilentlyContinue | Where-Object { $_.InstalledOn } |
        Sort-Object -Property InstalledOn -Descending | Select-Object -First 1
    if ($latest) { $lcuDate = ([DateTime]$latest.InstalledOn).ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture) }
}

# Microsoft Defender Antivirus: a feature on 2016 (on 2012 R2 the unified solution installs it, so Unknown there).
$defenderFeature = 'Unknown'
if (Get-Command -Name Get-WindowsFeature -ErrorAction SilentlyContinue) {
    $feature = Get-WindowsFeature -Name 'Windows-Defender' -ErrorAction SilentlyContinue
    if ($feature) { if ($feature.Installed) { $defenderFeature = 'Installed' } else { $defenderFeature = 'NotInstalled' } }
}
if ($defenderFeature -eq 'Unknown' -and (Get-Command -Name Get-WindowsOptionalFeature -ErrorAction SilentlyContinue)) {
    $optional = Get-WindowsOptionalFeature -Online -FeatureName 'Windows-Defender' -ErrorAction SilentlyContinue
    if ($optional) { if ([string]$optional.State -eq 'Enabled') { $defenderFeature = 'Installed' } else { $defenderFeature = 'NotInstalled' } }
}
$defenderService = 'Missing'
$service = Get-Service -Name 'WinDefend' -ErrorAction SilentlyContinue
if ($service) { if ([string]$service.Status -eq 'Running') { $defenderService = 'Running' } else { $defenderService = 'Stopped' } }
# Install.ps1 exits with ERR_MDE_GROUP_POLICY_DISABLED (39) when this policy value is set.
$policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows Defender' 'DisableAntiSpyware'
$disableAntiSpyware = ($null -ne $policy -and [int]$policy -ne 0)

# Defender for Endpoint service endpoints, from "Onboarding devices using streamlined connectivity"
# (MicrosoftDocs/microsoft-365-docs defender-endpoint/configure-device-connectivity.md): Command and Control
# winatp-gw-{cus,eus,neu,weu,uks,ukw}.microsoft.com (the tenant's geography picks the gateway, so one reachable
# gateway is enough) and EDR cyber data events.data.microsoft.com. The streamlined *.endpoint.security.microsoft.com
# domain is not tested: the same page says streamlined connectivity "does not support onboarding through API
# (includes Microsoft Defender for Cloud and Intune)".
$hosts = @('winatp-gw-cus.microsoft.com', 'winatp-gw-eus.microsoft.com', 'winatp-gw-neu.microsoft.com',
    'winatp-gw-weu.microsoft.com', 'winatp-gw-uks.microsoft.com', 'winatp-gw-ukw.microsoft.com', 'events.data.microsoft.com')
$timeoutMs = 3000

# The sensor may use a static proxy: the TelemetryProxyServer policy or the WinHTTP proxy (netsh winhttp).
$proxies = @()
$telemetryProxy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\DataCollection' 'TelemetryProxyServer'
if ($telemetryProxy) { $proxies += [string]$telemetryProxy }
$winHttp = Get-RegValue 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections' 'WinHttpSettings'
if ($winHttp -is [byte[]] -and $winHttp.Length -ge 16 -and ($winHttp[8] -band 2)) {
    $length = [BitConverter]::ToInt32($winHttp, 12)
    if ($length -gt 0 -and 16 + $length -le $winHttp.Length) { $proxies += [Text.Encoding]::ASCII.GetString($winHttp, 16, $length) }
}
$proxyEndpoints = @()
foreach ($entry in $proxies) {
    foreach ($part in ($entry -split '[; ]')) {
        $value = $part.Trim()
        if ($value -match '^(\w+)=(.+)$') {
            if (@('http', 'https') -notcontains $Matches[1].ToLower()) { continue }
            $value = $Matches[2]
        }
        $value = $value -replace '^[a-zA-Z]+://', '' -replace '/.*$', '' -replace '^.*@', ''
        if ($value) { $proxyEndpoints += $value }
    }
}

function Test-Direct([string]$name) {
    $client = [Activator]::CreateInstance([Net.Sockets.TcpClient])
    try {
        $async = $client.BeginConnect($name, 443, $null, $null)
        if (-not $async.AsyncWaitHandle.WaitOne($timeoutMs, $false)) { return $false }
        $client.EndConnect($async)
        return $client.Connected
    } catch { return $false } finally { $client.Close() }
}

# Through a proxy: an HTTP CONNECT tunnel to port 443 answered with 200 proves the path; no TLS needed.
function Test-ViaProxy([string]$proxy, [string]$name) {
    $client = [Activator]::CreateInstance([Net.Sockets.TcpClient])
    try {
        $parts = $proxy.Split(':')
        $port = 80
        if ($parts.Count -gt 1) { $port = [int]$parts[1] }
        $async = $client.BeginConnect($parts[0], $port, $null, $null)
        if (-not $async.AsyncWaitHandle.WaitOne($timeoutMs, $false)) { return $false }
        $client.EndConnect($async)
        $stream = $client.GetStream()
        $stream.ReadTimeout = $timeoutMs
        $stream.WriteTimeout = $timeoutMs
        $request = [Text.Encoding]::ASCII.GetBytes("CONNECT ${name}:443 HTTP/1.1`r`nHost: ${name}:443`r`n`r`n")
        $stream.Write($request, 0, $request.Length)
        $buffer = [Array]::CreateInstance([byte], 64)
        $read = $stream.Read($buffer, 0, $buffer.Length)
        return ([Text.Encoding]::ASCII.GetString($buffer, 0, $read) -match '^HTTP/1\.[01] 200')
    } catch { return $false } finally { $client.Close() }
}

$endpoints = [ordered]@{}
foreach ($name in $hosts) {
    $ok = Test-Direct $name
    if (-not $ok) {
        foreach ($proxy in $proxyEndpoints) { if (Test-ViaProxy $proxy $name) { $ok = $true; break } }
    }
    $endpoints[$name] = [bool]$ok
}

$result = [ordered]@{
    check              = 'mde-prereq'
    version            = 1
    kind               = 'windows-downlevel'
    os                 = $os
    build              = $build
    hotfixes           = @($hotfixes)
    ucrt               = [bool]$ucrt
    tdhVersion         = $tdhVersion
    ssuDate            = $ssuDate
    lcuDate            = $lcuDate
    defenderFeature    = $defenderFeature
    defenderService    = $defenderService
    disableAntiSpyware = [bool]$disableAntiSpyware
    proxy              = ($proxyEndpoints.Count -gt 0)
    endpoints          = $endpoints
}
Write-Output ($result | ConvertTo-Json -Compress -Depth 4)
