// The camera: the browser's BarcodeDetector where it has one, ZXing (vendored) where it has not.

/**
 * The sizes a camera frame is read at by ZXing, one size per frame in turn. ZXing's JavaScript port (0.23) misses
 * about one ticket code in 18 at the camera's own size, even in a still, sharp frame of the ticket as the e-mail shows
 * it (8 pixels per module), and reads each of those at one of the smaller sizes: of 3,000 codes, all within this
 * turn, all but one within its first seven sizes (DoorCameraTest keeps some of them). One size per frame keeps a
 * frame's cost that of one read (the smaller ones cost less), and any ticket is read within one turn, under 1.5 s.
 */
export const SCALES = [1, 0.5, 0.6, 0.4, 0.45, 0.55, 0.35, 0.3, 0.25];

let reader = null;
let hints = null;

/** The QR code in an image source (a video frame, an image) drawn on the canvas at this scale; null if none is read. */
export function readQr(source, width, height, canvas, scale) {
  if (!reader) {
    reader = new window.ZXing.QRCodeReader();
    hints = new Map();
    hints.set(window.ZXing.DecodeHintType.TRY_HARDER, true);
  }
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d', { willReadFrequently: true }).drawImage(source, 0, 0, canvas.width, canvas.height);
  try {
    const luminance = new window.ZXing.HTMLCanvasElementLuminanceSource(canvas);
    return reader.decode(new window.ZXing.BinaryBitmap(new window.ZXing.HybridBinarizer(luminance)), hints).getText();
  } catch (e) {
    return null;
  } finally {
    reader.reset();
  }
}

function zxingDetector(video, canvas) {
  if (!window.ZXing) {
    return null;
  }
  let frame = 0;
  return () => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) {
      return Promise.resolve(null);
    }
    const scale = SCALES[frame % SCALES.length];
    frame += 1;
    return Promise.resolve(readQr(video, w, h, canvas, scale));
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
