// The camera: the browser's BarcodeDetector where it has one, ZXing (vendored) where it has not.

function zxingDetector(video, canvas) {
  if (!window.ZXing) {
    return null;
  }
  const reader = new window.ZXing.QRCodeReader();
  const hints = new Map();
  hints.set(window.ZXing.DecodeHintType.TRY_HARDER, true);
  return () => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) {
      return Promise.resolve(null);
    }
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d', { willReadFrequently: true }).drawImage(video, 0, 0, w, h);
    try {
      const source = new window.ZXing.HTMLCanvasElementLuminanceSource(canvas);
      const bitmap = new window.ZXing.BinaryBitmap(new window.ZXing.HybridBinarizer(source));
      return Promise.resolve(reader.decode(bitmap, hints).getText());
    } catch (e) {
      return Promise.resolve(null);
    } finally {
      reader.reset();
    }
  };
}

function makeDetector(video, canvas) {
  if ('BarcodeDetector' in window) {
    return window.BarcodeDetector.getSupportedFormats().then((formats) => {
      if (formats.indexOf('qr_code') >= 0) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return () => detector.detect(video).then((codes) => (codes.length ? codes[0].rawValue : null));
      }
      return zxingDetector(video, canvas);
    }, () => zxingDetector(video, canvas));
  }
  return Promise.resolve(zxingDetector(video, canvas));
}

/**
 * Wires the camera buttons: found codes go to onCode(text); status(key) tells the person what happens, by the key
 * of a text (cameraOn, cameraOff, cameraInsecure, cameraUnsupported, cameraDenied, cameraMissing).
 */
export function wireCamera({ video, startButton, stopButton, desk, onCode, status }) {
  let stream = null;
  let scanning = false;
  const canvas = document.createElement('canvas');

  function stop() {
    scanning = false;
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = null;
    }
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
    desk.removeAttribute('data-camera');
  }

  startButton.addEventListener('click', () => {
    if (!window.isSecureContext) {
      status('cameraInsecure');
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status('cameraUnsupported');
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then((s) => {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(() => makeDetector(video, canvas)).then((detect) => {
      if (!detect) {
        stop();
        status('cameraUnsupported');
        return;
      }
      startButton.hidden = true;
      stopButton.hidden = false;
      status('cameraOn');
      desk.setAttribute('data-camera', 'on');
      scanning = true;
      const loop = () => {
        if (!scanning) {
          return;
        }
        detect().then((value) => (value ? onCode(value) : null)).catch(() => null).then(() => setTimeout(loop, 150));
      };
      loop();
    }).catch((e) => {
      stop();
      const name = e && e.name;
      status(name === 'NotAllowedError' || name === 'SecurityError' ? 'cameraDenied'
        : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'cameraMissing' : 'cameraUnsupported');
    });
  });

  stopButton.addEventListener('click', () => {
    stop();
    status('cameraOff');
    startButton.focus();
  });
}
