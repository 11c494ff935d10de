/* The registration desk's badge scanner: progressive enhancement of the desk page, which works
   without it (find a person by name, type a badge's code).

   The camera's frames are read by the browser's BarcodeDetector where it has one, else by the
   vendored jsQR (static/vendor/jsqr). Each scan is kept in localStorage with the time it was
   taken and an id of its own before it is sent, so a desk on a flaky network loses nothing:
   the scans go when the network returns, and a scan sent twice is recognised by its id. */
(function () {
  "use strict";

  var section = document.getElementById("scanner");
  if (!section) { return; }
  var hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  var hasDetector = typeof window.BarcodeDetector === "function";
  if (!hasCamera || !(hasDetector || typeof window.jsQR === "function")) { return; }
  section.hidden = false;

  var data = section.dataset;
  var queueKey = "plenary-desk-queue:" + data.meeting;
  var deskKey = "plenary-desk-name";
  var toggle = document.getElementById("scan-toggle");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var queueNote = document.getElementById("scan-queue");
  var result = document.getElementById("scan-result");
  var deskInput = document.getElementById("desk-name");
  var stream = null;
  var detector = null;
  var lastToken = "";
  var lastAt = 0;
  var sending = false;

  if (deskInput && !deskInput.value && window.localStorage.getItem(deskKey)) {
    deskInput.value = window.localStorage.getItem(deskKey);
  }
  if (deskInput) {
    deskInput.addEventListener("change", function () {
      window.localStorage.setItem(deskKey, deskInput.value);
    });
  }

  function deskName() {
    var name = deskInput ? deskInput.value : "";
    if (name) { window.localStorage.setItem(deskKey, name); }
    return name.slice(0, 40);
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function readQueue() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) {
      return [];
    }
  }

  function writeQueue(queue) {
    window.localStorage.setItem(queueKey, JSON.stringify(queue));
    queueNote.textContent = queue.length ? data.msgQueued + " " + queue.length : "";
  }

  function show(state, message, person) {
    result.hidden = false;
    result.className = "desk-result desk-result--" + state;
    result.textContent = "";
    if (person && person.name) {
      var who = document.createElement("p");
      who.className = "desk-result__name";
      var name = document.createElement("bdi");
      name.textContent = person.name;
      who.appendChild(name);
      result.appendChild(who);
      var from = document.createElement("p");
      var delegation = document.createElement("bdi");
      delegation.textContent = person.delegation;
      from.appendChild(delegation);
      from.appendChild(document.createTextNode(" · " + person.category));
      result.appendChild(from);
    }
    var text = document.createElement("p");
    text.className = "desk-result__message";
    text.textContent = message;
    result.appendChild(text);
  }

  function send() {
    if (sending) { return; }
    var queue = readQueue();
    writeQueue(queue);
    if (!queue.length) { return; }
    sending = true;
    var scan = queue[0];
    window.fetch(data.scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": data.csrf},
      body: JSON.stringify(scan)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The sign-in or the page's security token expired (an HTML answer), or the server
        // failed: keep the scan for later.
        sending = false;
        show("refused", response.status >= 500 ? data.msgOffline : data.msgSignedOut);
        return null;
      }
      return response.json().then(function (body) {
        sending = false;
        if (body.state === "signed_out" || response.status === 403) {
          show("refused", body.message);
          return;
        }
        writeQueue(readQueue().filter(function (s) { return s.client_id !== scan.client_id; }));
        show(body.state, body.message, body);
        send();
      });
    }).catch(function () {
      sending = false;
      show("offline", data.msgOffline);
    });
  }

  function scanned(token) {
    var now = Date.now();
    if (token === lastToken && now - lastAt < 5000) { return; }
    lastToken = token;
    lastAt = now;
    var queue = readQueue();
    queue.push({
      token: token,
      client_id: newId(),
      scanned_at: now,
      desk: deskName(),
      session_id: data.session ? Number(data.session) : null
    });
    writeQueue(queue);
    send();
  }

  function readFrame() {
    if (!stream) { return; }
    if (video.readyState < 2) { window.setTimeout(readFrame, 200); return; }
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (codes.length) { scanned(codes[0].rawValue); }
        window.setTimeout(readFrame, 200);
      }).catch(function () { window.setTimeout(readFrame, 400); });
      return;
    }
    var width = video.videoWidth;
    var height = video.videoHeight;
    if (width && height) {
      canvas.width = width;
      canvas.height = height;
      var context = canvas.getContext("2d", {willReadFrequently: true});
      context.drawImage(video, 0, 0, width, height);
      var image = context.getImageData(0, 0, width, height);
      var code = window.jsQR(image.data, width, height, {inversionAttempts: "dontInvert"});
      if (code && code.data) { scanned(code.data); }
    }
    window.setTimeout(readFrame, 200);
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = data.labelStart;
  }

  function start() {
    var ready = Promise.resolve();
    if (hasDetector && !detector) {
      ready = window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) {
          detector = new window.BarcodeDetector({formats: ["qr_code"]});
        }
      }).catch(function () { detector = null; });
    }
    ready.then(function () {
      if (!detector && typeof window.jsQR !== "function") { throw new Error("no decoder"); }
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      toggle.textContent = data.labelStop;
      return video.play();
    }).then(readFrame).catch(function () {
      stop();
      show("refused", data.msgNoCamera);
    });
  }

  toggle.addEventListener("click", function () {
    if (stream) { stop(); } else { start(); }
  });
  window.addEventListener("online", send);
  window.setInterval(send, 15000);
  send();
}());
