// electron-store 11 is conf with Electron's paths; main passes an absolute cwd, so conf itself will do.
import Conf from 'conf';
export default class ElectronStore extends Conf {
  constructor(options) {
    const { name, ...rest } = options;
    super({ ...rest, configName: name ?? 'config' });
  }
}
