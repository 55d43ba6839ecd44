# mde-onboarding: puts Microsoft Defender Antivirus in passive mode before MDE onboarding, because the machine
# carries the passive-mode tag (another antivirus is primary). This is the one guest script that writes.
# Source: MicrosoftDocs/defender-docs configure-server-endpoints.md: HKLM\SOFTWARE\Policies\Microsoft\
# Windows Advanced Threat Protection, ForceDefenderPassiveMode, REG_DWORD 1. Prints one line of JSON.
& reg.exe add "HKLM\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection" /v ForceDefenderPassiveMode /t REG_DWORD /d 1 /f | Out-Null
$code = $LASTEXITCODE
$item = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Policies\Microsoft\Windows Advanced Threat Protection' -Name ForceDefenderPassiveMode -ErrorAction SilentlyContinue
$value = 0
if ($null -ne $item) { $value = [int]$item.ForceDefenderPassiveMode }
Write-Output ('{"check":"mde-passive-mode","version":1,"forceDefenderPassiveMode":' + $value + ',"regExitCode":' + [int]$code + '}')
exit $code
