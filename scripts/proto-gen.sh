#!/usr/bin/env bash
# Generates TypeScript types for every .proto under proto/ into libs/grpc/src/generated.
#   bash scripts/proto-gen.sh           regenerate (commit the result; never edit it by hand)
#   bash scripts/proto-gen.sh --check   regenerate into a temp dir; exit 1 if the committed files differ
set -euo pipefail

cd "$(dirname "$0")/.."
out=libs/grpc/src/generated
check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "proto-gen: unknown argument \"$1\": use no argument or --check" >&2; exit 2 ;;
esac

# The loader flags come from PROTO_LOADER_OPTIONS, so generated types and runtime objects agree.
read -r -a flags < <(node --import tsx --input-type=module \
  -e 'const { protoGenFlags } = await import("./libs/grpc/src/proto-options.ts"); console.log(protoGenFlags().join(" "));')

mapfile -t protos < <(cd proto && find . -name '*.proto' -printf '%P\n' | LC_ALL=C sort)
if [ "${#protos[@]}" -eq 0 ]; then
  echo "proto-gen: no .proto files under proto/" >&2
  exit 1
fi

target=$out
if $check; then
  target=$(mktemp -d)
  trap 'rm -rf "$target"' EXIT
else
  rm -rf "$out"
fi

npx --no-install proto-loader-gen-types "${flags[@]}" \
  --grpcLib=@grpc/grpc-js --importFileExtension=.ts \
  -I proto -O "$target" "${protos[@]}" >/dev/null

if $check; then
  if ! diff -r "$out" "$target"; then
    echo "proto-gen: $out is out of date: run npm run proto:gen and commit the result" >&2
    exit 1
  fi
  echo "proto-gen: $out is current (${#protos[@]} proto files)"
else
  echo "proto-gen: wrote $out from ${#protos[@]} proto files"
fi
