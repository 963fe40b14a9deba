-- Drives Neovim's built-in LSP client against `wurzel lsp` for the end-to-end
-- test in lsp_nvim_test.go: open an invalid pipeline and record the
-- diagnostics the server publishes, then format another file through the
-- server and record the buffer. Works with Neovim 0.7 (start_client,
-- formatting_sync) and later (vim.lsp.start, vim.lsp.buf.format).
local bad, messy, result = vim.env.WURZEL_BAD, vim.env.WURZEL_MESSY, vim.env.WURZEL_RESULT
local out = {}

local function finish(code)
  vim.fn.writefile(out, result)
  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop()
  end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
  vim.cmd(code == 0 and 'qall!' or ('cquit! ' .. code))
end

local function fail(msg)
  table.insert(out, 'error|' .. msg)
  finish(1)
end

-- attach starts a wurzel server for the current buffer's directory, or
-- attaches the running one.
local client_id
local function attach()
  local buf = vim.api.nvim_get_current_buf()
  local config = {
    name = 'wurzel',
    cmd = { 'wurzel', 'lsp' },
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':p:h'),
  }
  if client_id == nil then
    if vim.lsp.start then
      client_id = vim.lsp.start(config)
    else
      client_id = vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(buf, client_id)
    end
  else
    vim.lsp.buf_attach_client(buf, client_id)
  end
  if client_id == nil then
    fail('the client did not start')
  end
  return buf
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(bad))
  local buf = attach()
  if not vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    fail('no diagnostics for ' .. bad)
    return
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, string.format('diag|%d|%d|%s', d.lnum, d.severity, (d.message:gsub('\n', ' '))))
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(messy))
  buf = attach()
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buf, timeout_ms = 20000 })
  else
    vim.lsp.buf.formatting_sync(nil, 20000)
  end
  for _, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    table.insert(out, 'line|' .. line)
  end
  finish(0)
end)
if not ok then
  fail(tostring(err))
end
