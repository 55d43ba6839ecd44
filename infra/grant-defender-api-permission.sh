#!/usr/bin/env bash
# Grants the mde-onboarding identity the Defender for Endpoint API application permission
# Machine.Read.All (MDE_SENSOR_CHECK=on reads GET /api/machines with it). ARM templates cannot grant
# app roles, so this is a Microsoft Graph app role assignment:
#   POST {graph}/v1.0/servicePrincipals/{principalId}/appRoleAssignments
#   {"principalId": <identity>, "resourceId": <WindowsDefenderATP service principal>, "appRoleId": <Machine.Read.All>}
# Idempotent: an existing assignment is reported and left alone.
#
# Run it signed in (az login) as someone whose directory role may grant app roles of APIs other than
# Microsoft Graph: Cloud Application Administrator or Application Administrator (Privileged Role
# Administrator also can). Needs the Azure CLI only.
#
# Usage: infra/grant-defender-api-permission.sh <identity object (principal) ID>
#   the ID is main.json's output identityPrincipalId.
# GRAPH_URL overrides the Microsoft Graph endpoint (default: the signed-in cloud's, from az cloud show;
# a DoD tenant sets https://dod-graph.microsoft.us).
set -euo pipefail

# The WindowsDefenderATP service principal (Defender for Endpoint API), the same app ID in every tenant.
readonly WINDOWS_DEFENDER_ATP_APP_ID="fc780465-2017-40d4-a0c5-307022471b92"
readonly APP_ROLE="Machine.Read.All"
readonly GUID_RE='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

fail() {
  echo "grant-defender-api-permission: $*" >&2
  exit 1
}

if [[ $# -ne 1 || ! $1 =~ $GUID_RE ]]; then
  echo "usage: $0 <identity object (principal) ID, a GUID: main.json output identityPrincipalId>" >&2
  exit 2
fi
readonly principal_id=$1

graph=${GRAPH_URL:-$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)}
graph=${graph%/}
[[ $graph == https://* ]] || fail "no Microsoft Graph endpoint (got '$graph'); set GRAPH_URL"

az ad sp show --id "$principal_id" --query id -o tsv >/dev/null \
  || fail "no service principal with object ID $principal_id in this tenant (pass main.json's identityPrincipalId)"

resource_id=$(az ad sp show --id "$WINDOWS_DEFENDER_ATP_APP_ID" --query id -o tsv) \
  || fail "no WindowsDefenderATP service principal ($WINDOWS_DEFENDER_ATP_APP_ID) in this tenant: is Defender for Endpoint set up here?"
[[ $resource_id =~ $GUID_RE ]] || fail "unexpected WindowsDefenderATP object ID '$resource_id'"

app_role_id=$(az ad sp show --id "$WINDOWS_DEFENDER_ATP_APP_ID" \
  --query "appRoles[?value=='$APP_ROLE' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
[[ $app_role_id =~ $GUID_RE ]] || fail "WindowsDefenderATP has no application role $APP_ROLE"

assignments_url="$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments"
existing=$(az rest --method GET --resource "$graph" --url "$assignments_url" \
  --query "value[?resourceId=='$resource_id' && appRoleId=='$app_role_id'].id | [0]" -o tsv)
if [[ -n $existing ]]; then
  echo "$APP_ROLE on WindowsDefenderATP is already granted to $principal_id (assignment $existing); nothing to do."
  exit 0
fi

body=$(printf '{"principalId":"%s","resourceId":"%s","appRoleId":"%s"}' "$principal_id" "$resource_id" "$app_role_id")
if ! out=$(az rest --method POST --resource "$graph" --url "$assignments_url" \
      --headers "Content-Type=application/json" --body "$body" --query id -o tsv 2>&1); then
  # A grant made between the check and the POST: Graph answers 400 "Permission being assigned already exists".
  if [[ $out == *"already exists"* ]]; then
    echo "$APP_ROLE on WindowsDefenderATP is already granted to $principal_id; nothing to do."
    exit 0
  fi
  fail "the app role assignment failed: $out"
fi
echo "Granted $APP_ROLE on WindowsDefenderATP to $principal_id (assignment $out)."
