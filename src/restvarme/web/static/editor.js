// The scenario editor of restvarme's web app (templates/edit.html): as one types, the text is
// sent (debounced) to the API's validate endpoint with the version's other files, and each
// located problem is shown beside its line and in the table below; Save stores a new version.
// No library and nothing fetched from elsewhere: the app serves this file.

const DEBOUNCE_MS = 400;

const box = document.getElementById("editor");
const text = document.getElementById("text");
const gutter = document.getElementById("gutter");
const notes = document.getElementById("notes");
const status = document.getElementById("status");
const table = document.getElementById("problems");
const { version, file, scenario, csrf } = box.dataset;

let timer = 0;
let controller = null;
let asked = 0; // number of the last check sent: older answers are dropped
let problems = [];

function headers() {
  const h = { "Content-Type": "application/json" };
  if (csrf) h["X-CSRF-Token"] = csrf;
  return h;
}

// The problems of this file by line (1-based); problems without a line go to the table only.
function byLine() {
  const lines = new Map();
  for (const p of problems) {
    if (p.line == null || (p.file && p.file !== file)) continue;
    const at = lines.get(p.line) ?? [];
    at.push(p);
    lines.set(p.line, at);
  }
  return lines;
}

function draw() {
  const count = text.value.split("\n").length;
  const lines = byLine();
  gutter.replaceChildren();
  notes.replaceChildren();
  for (let n = 1; n <= count; n++) {
    const at = lines.get(n);
    const number = document.createElement("span");
    number.textContent = String(n);
    const note = document.createElement("span");
    if (at) {
      number.className = "bad";
      number.title = at.map((p) => p.message).join("\n");
      note.className = "bad";
      note.dataset.line = String(n);
      note.textContent = "● " + at.map((p) => `${p.key_path}: ${p.message}`).join("; ");
      note.title = note.textContent; // the whole message where the column cuts it
    }
    gutter.append(number, "\n");
    notes.append(note, "\n");
  }
  notes.scrollTop = gutter.scrollTop = text.scrollTop;
}

function drawTable() {
  table.querySelectorAll("tr.problem").forEach((row) => row.remove());
  for (const p of problems) {
    const row = table.insertRow();
    row.className = "problem";
    const cells = [p.file ?? "", p.line ?? "", p.key_path, p.message + (p.suggestion ? ` (did you mean ${p.suggestion}?)` : "")];
    for (const value of cells) row.insertCell().textContent = String(value);
    if (p.line != null && (!p.file || p.file === file)) {
      row.style.cursor = "pointer";
      row.addEventListener("click", () => goTo(p.line));
    }
  }
}

function goTo(line) {
  const starts = text.value.split("\n").slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  text.focus();
  text.setSelectionRange(starts, starts);
}

function show(answer) {
  problems = answer.problems ?? [];
  if (answer.ok) {
    status.className = "ok";
    status.textContent = "ok: " + answer.summary;
  } else if (problems.length) {
    status.className = "bad";
    status.textContent = `${problems.length} problem(s)`;
  } else {
    status.className = "bad";
    status.textContent = answer.detail ?? "cannot check";
  }
  draw();
  drawTable();
}

async function check() {
  const mine = ++asked;
  controller?.abort();
  controller = new AbortController();
  status.className = "muted";
  status.textContent = "checking…";
  try {
    const response = await fetch(`/api/versions/${version}/validate`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ files: { [file]: text.value }, quick: true }),
      signal: controller.signal,
      credentials: "same-origin",
    });
    const answer = await response.json();
    if (mine === asked) show(answer);
  } catch (error) {
    if (error.name !== "AbortError" && mine === asked) show({ ok: false, detail: String(error) });
  }
}

text.addEventListener("input", () => {
  draw(); // line numbers follow at once; problems when the check answers
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
});
text.addEventListener("scroll", () => {
  notes.scrollTop = gutter.scrollTop = text.scrollTop;
});
document.getElementById("save").addEventListener("click", async () => {
  const saved = document.getElementById("saved");
  saved.textContent = "saving…";
  const response = await fetch(`/api/versions/${version}/edit`, {
    method: "POST",
    headers: headers(),
    credentials: "same-origin",
    body: JSON.stringify({
      files: { [file]: text.value },
      author: document.getElementById("author").value,
      message: document.getElementById("message").value,
    }),
  });
  const answer = await response.json();
  if (response.status === 201) {
    window.location.assign(`/scenarios/${encodeURIComponent(scenario)}?version=${answer.id}`);
  } else {
    saved.textContent = answer.detail ?? `not saved (${response.status})`;
  }
});

draw();
check();
