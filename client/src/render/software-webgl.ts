/**
 * Whether this browser's WebGL is emulated on the CPU (SwiftShader, llvmpipe: no GPU, or a GPU on
 * the blocklist). Pixi's 2D canvas renderer is several times faster than that, and a main thread
 * busy rasterising also delays every network message the game receives.
 */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

export function isSoftwareWebGL(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return SOFTWARE.test(name);
  } catch {
    return true;
  }
}
